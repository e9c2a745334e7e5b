"""Helpers of the bench/trust_* scripts: a production-like server, and a browser-like client
that fills the submission form (cookies, CSRF token, no redirect following)."""

import html
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")


def start_server(database, port, seconds, **env):
    """bench/serve.sh (gunicorn, production settings) on 127.0.0.1:port; waits for /healthz."""
    base = f"http://127.0.0.1:{port}"
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
    except OSError:
        pass
    else:
        raise SystemExit(f"something already answers on {base}: stop it first")
    environment = {**os.environ, "BENCH_PORT": str(port), "EMAIL_BACKEND": "console", **env}
    subprocess.run([str(ROOT / "bench" / "trust_prepare_db.sh"), database], check=True)
    process = subprocess.Popen(
        [str(ROOT / "bench" / "serve.sh"), database, str(seconds)],
        env=environment,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise SystemExit(f"the server on {base} did not start")


def stop_server(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _BehindHttpsProxy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure: the browser sends them, since it speaks HTTPS to the proxy."""

    def return_ok_secure(self, cookie, request):
        return True


class Visitor:
    """One person with a browser behind the HTTPS reverse proxy: cookies kept, redirects
    reported rather than followed, ``X-Forwarded-Proto: https`` and ``Origin`` as the proxy and
    the browser send them (the production CSRF check needs both)."""

    def __init__(self, base, timeout=30):
        self.base = base
        self.timeout = timeout
        self.origin = "https://" + urllib.parse.urlsplit(base).netloc
        self.cookies = http.cookiejar.CookieJar(policy=_BehindHttpsProxy())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path, data=None):
        """(status, headers, body text); status 0 when the connection itself failed."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"X-Forwarded-Proto": "https"}
        if body is not None:
            headers["Origin"] = self.origin
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")
        except OSError as error:
            return 0, {}, str(error)

    def submission_form(self):
        """The form's CSRF token and the id of its first theme, from a GET of the form."""
        status, _, page = self.request("/initiatives/submit/")
        if status != 200:
            raise RuntimeError(f"the submission form answered {status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        theme = re.search(r'name="themes" value="(\d+)"', page).group(1)
        return token, theme

    def commune(self, text):
        _, _, body = self.request("/api/communes/?" + urllib.parse.urlencode({"q": text}))
        return json.loads(body)["results"][0]


def submission_data(token, theme, commune, name):
    return {
        "csrfmiddlewaretoken": token,
        "name": name,
        "summary": "Soumission de test de charge : à supprimer.",
        "themes": [theme],
        "commune": commune["label"],
        "commune_code": commune["code"],
        "submitter_name": "Charge Test",
        "submitter_email": "charge.test@example.org",
        "consent": "on",
        "homepage": "",
    }


def outcome(status, headers, body):
    """accepted, rate_limited, rejected (form errors), unavailable (clear 503) or failed."""
    if status in (302, 303) and "thanks" in (headers.get("Location") or ""):
        return "accepted"
    if status == 429:
        return "rate_limited"
    if status == 200 and "errorlist" in body:
        return "rejected"
    if status == 503 and "Traceback" not in body and "Retry-After" in headers:
        return "unavailable"
    return "failed"


def psql(database, sql):
    result = subprocess.run(
        ["psql", "-At", f"{PG_URL}/{database}", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def stored_names(database, prefix):
    """{name: rows} of the initiatives whose name starts with ``prefix``."""
    rows = psql(
        database,
        "SELECT name, count(*) FROM initiatives_initiative "
        f"WHERE name LIKE '{prefix}%' GROUP BY name",
    )
    counts = {}
    for line in rows.splitlines():
        name, count = line.rsplit("|", 1)
        counts[name] = int(count)
    return counts


def text_of(body):
    """The alert (or else the first heading) of an HTML answer, for the report."""
    match = re.search(r'role="alert"[^>]*>\s*<(p)[^>]*>(.*?)</p>', body, re.S) or re.search(
        r"<(h1)[^>]*>(.*?)</h1>", body, re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip() if match else body[:80]
