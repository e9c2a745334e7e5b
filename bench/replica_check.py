#!/usr/bin/env python3
"""Against a real streaming replica (run by bench/replica): who reads what, while the replica's
replay is paused. Exits non-zero when a reader sees the wrong database."""

import argparse
import http.cookies
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request

import common


def replica_sql(sql):
    subprocess.run(["psql", "-Atq", os.environ["DATABASE_REPLICA_URL"], "-c", sql], check=True)


def request(url, method="GET", cookies=None):
    headers = {"Host": "localhost"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = b"" if method == "POST" else None
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data, headers=headers, method=method), timeout=30
        ) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", required=True)
    args = parser.parse_args()
    if not common.wait_until_up(args.app + "/healthz", 60):
        sys.exit("the app server does not answer")
    slug = common.manage_shell(
        "from initiatives.models import Initiative;"
        "print(Initiative.objects.published().order_by('pk').first().slug)"
    )
    page = f"{args.app}/initiatives/{slug}/"
    name = f"Written on the primary {secrets.token_hex(3)}"
    failures = 0

    def shows(label, cookies=None, expected=True):
        nonlocal failures
        status, _headers, body = request(page, cookies=cookies)
        seen = name.encode() in body
        ok = status == 200 and seen == expected
        failures += not ok
        where = "the write (primary)" if seen else "the older data (replica)"
        print(f"{label:55} {status} sees {where} {'ok' if ok else 'WRONG'}")

    replica_sql("SELECT pg_wal_replay_pause()")
    try:
        common.manage_shell(
            "from initiatives.models import Initiative;"
            f"Initiative.objects.filter(slug='{slug}').update(name='{name}')"
        )
        time.sleep(1)
        shows("replay paused, a visitor", expected=False)
        _status, headers, _body = request(args.app + "/initiatives/submit/", method="POST")
        jar = http.cookies.SimpleCookie()
        for value in headers.get_all("Set-Cookie") or []:
            jar.load(value)
        pin = {k: m.value for k, m in jar.items() if k == "ssemap_primary"}
        shows("replay paused, the same browser after a POST", cookies=pin)
        shows("replay paused, a signed-in curator", cookies={"sessionid": "x"})
    finally:
        replica_sql("SELECT pg_wal_replay_resume()")
    time.sleep(2)
    shows("replay resumed, a visitor")
    print("OK" if not failures else f"{failures} wrong read(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
