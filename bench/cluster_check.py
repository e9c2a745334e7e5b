#!/usr/bin/env python3
"""Same answers whichever app server serves (run by bench/cluster, with its environment).

For each URL: the body (CSP nonces and CSRF tokens aside, which are per response by design)
and the validators from each app server and through nginx; then a write, seen at once and
alike by both servers; then a sign-in on one server used on the other (sessions in the
database). Exits non-zero on any difference.
"""

import argparse
import gzip
import hashlib
import http.cookies
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

import common

PER_RESPONSE = re.compile(rb'(nonce|csrfmiddlewaretoken" value|csrf-token" content)="[^"]*"')


def get(url, cookies=None):
    # One public name for every server, as nginx passes it (Host $host): exports hold
    # absolute links, and validators include the host.
    headers = {"Accept-Encoding": "gzip", "Host": "localhost"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, head, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, error.headers, error.read()
    if head.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, head, body


def fingerprint(body):
    return hashlib.sha256(PER_RESPONSE.sub(rb"\1=x", body)).hexdigest()[:16]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(app, username, password):
    """Sign in on ``app``: the session cookie."""
    _status, head, body = get(app + "/admin/login/")
    jar = http.cookies.SimpleCookie()
    for value in head.get_all("Set-Cookie") or []:
        jar.load(value)
    csrf = jar["csrftoken"].value
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(
        app + "/admin/login/",
        data=data,
        headers={"Cookie": f"csrftoken={csrf}", "Host": "localhost"},
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        for value in error.headers.get_all("Set-Cookie") or []:
            jar.load(value)
    return {"sessionid": jar["sessionid"].value} if "sessionid" in jar else {}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--front", required=True)
    parser.add_argument("--app", action="append", required=True)
    args = parser.parse_args()
    servers = [*args.app, args.front]
    for server in servers:
        if not common.wait_until_up(server + "/healthz", 90):
            sys.exit(f"{server} does not answer")

    region, slug = common.manage_shell(
        "from territories.models import Territory; from initiatives.models import Initiative;"
        "print(Territory.objects.regions().order_by('name').first().slug,"
        " Initiative.objects.published().order_by('pk').first().slug)"
    ).split()
    urls = [
        "/",
        "/en/",
        "/initiatives/",
        "/initiatives/?theme=alimentation&low_tech=1",
        "/initiatives/?q=jardin",
        f"/initiatives/?territory={region}",
        f"/territories/{region}/",
        f"/initiatives/{slug}/",
        "/api/initiatives.geojson?zoom=5",
        "/api/initiatives.geojson?zoom=10&bbox=4.7,45.6,5.1,45.9",
        f"/initiatives/export.csv?territory={region}",
        "/healthz",
    ]
    failures = 0
    print(f"{'URL':58} " + " ".join(f"{s.rsplit(':', 1)[1]:>22}" for s in servers))
    for url in urls:
        seen = []
        for server in servers:
            status, head, body = get(server + url)
            seen.append((status, head.get("ETag", "-"), fingerprint(body)))
        same = len({(s, f) for s, _e, f in seen}) == 1 and len({e for _s, e, _f in seen[:-1]}) == 1
        failures += not same
        cells = " ".join(f"{s} {f} {e[-5:]:>5}" for s, e, f in seen)
        print(f"{url[:58]:58} {cells} {'same' if same else 'DIFFERENT'}")

    # A write (a bulk update, as an admin action makes it): both servers see it at once, in
    # the initiative's region; another region's validators stay (narrow invalidation).
    own, other = common.manage_shell(
        "from initiatives.models import Initiative; from territories.models import Territory;"
        f"i = Initiative.objects.get(slug='{slug}');"
        "print(i.region.slug, Territory.objects.regions().exclude(pk=i.region_id).first().slug)"
    ).split()
    maps = [f"/api/initiatives.geojson?zoom=6&territory={r}" for r in (own, other)]
    before = {(app, m): get(app + m)[1]["ETag"] for app in args.app for m in maps}
    name = f"Renamed by the cluster check {secrets.token_hex(3)}"
    common.manage_shell(
        "from initiatives.models import Initiative;"
        f"Initiative.objects.filter(slug='{slug}').update(name='{name}')"
    )
    after = {(app, m): get(app + m)[1]["ETag"] for app in args.app for m in maps}
    pages = [get(app + f"/initiatives/{slug}/")[2] for app in args.app]
    own_tags = {after[(app, maps[0])] for app in args.app}
    moved = len(own_tags) == 1 and not own_tags & {before[(a, maps[0])] for a in args.app}
    kept = all(after[(app, maps[1])] == before[(app, maps[1])] for app in args.app)
    shown = all(name.encode() in body for body in pages)
    print(
        f"write in {own}: validators moved alike on every server {moved}, page shows it {shown};"
        f" {other}'s validators kept {kept}"
    )
    failures += not (moved and shown and kept)

    # A session made on one server is valid on the other.
    password = secrets.token_urlsafe(16)
    common.manage_shell(
        "from django.contrib.auth import get_user_model; U = get_user_model();"
        "u, _ = U.objects.get_or_create(username='cluster-check', defaults={'is_staff': True,"
        " 'is_superuser': True}); u.is_staff = u.is_superuser = True;"
        f"u.set_password('{password}'); u.save()"
    )
    cookies = sign_in(args.app[0], "cluster-check", password)
    status = get(args.app[1] + "/admin/", cookies)[0] if cookies else None
    print(f"signed in on {args.app[0]}, /admin/ on {args.app[1]}: {status}")
    failures += status != 200
    print("OK" if not failures else f"{failures} difference(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
