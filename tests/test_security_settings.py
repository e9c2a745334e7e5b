"""Production settings: `check --deploy` is clean, secrets come from the environment only."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is not for production either.
        if not key.startswith(
            ("SECURE_", "EMAIL_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC")
        )
    }
    env.update(
        SSEMAP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_SETTINGS_MODULE="ssemap.settings",
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def production_settings(tmp_path, names, **extra):
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = run(["-c", script], production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run(["manage.py", "check", "--deploy"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (" in result.stdout
    # Nothing is silenced but SQLite's note that covering indexes are PostgreSQL's (FacetTally):
    # no security check, ever.
    assert set(settings.SILENCED_SYSTEM_CHECKS) <= {"models.W040"}


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = run(["manage.py", "check"], production_env(tmp_path, SECRET_KEY="x" * 20))
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = run(["manage.py", "check"], production_env(tmp_path, DEBUG="1"))
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_cookies_are_https_only_and_hsts_is_on(tmp_path):
    values = production_settings(
        tmp_path,
        [
            "DEBUG",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_PROXY_SSL_HEADER",
            "STORAGES",
            "MAILERS",
        ],
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == ("ssemap.storage.StaticStorage")
    assert "smtp" in values["MAILERS"]["default"]["BACKEND"]


def test_secrets_are_read_from_the_environment(tmp_path):
    key = secrets.token_urlsafe(64)
    values = production_settings(
        tmp_path,
        ["SECRET_KEY", "MAILERS"],
        SECRET_KEY=key,
        EMAIL_HOST_PASSWORD="from-the-environment",
    )
    assert values["SECRET_KEY"] == key
    assert values["MAILERS"]["default"]["OPTIONS"]["password"] == "from-the-environment"


def test_production_responses_carry_hsts_and_redirect_plain_http(tmp_path):
    script = """
import django, json
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
secure = client.get("/healthz", secure=True, HTTP_HOST="example.org")
plain = client.get("/en/", HTTP_HOST="example.org")
health = client.get("/healthz", HTTP_HOST="example.org")
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "redirect": [plain.status_code, plain.headers.get("Location")],
    "health_status": health.status_code,
}))
"""
    result = run(["-c", script], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["redirect"] == [301, "https://example.org/en/"]
    # Load balancers probe over plain HTTP: /healthz answers instead of redirecting.
    assert seen["health_status"] in {200, 503}


def test_production_logs_one_json_line_per_request_on_stdout(tmp_path):
    script = """
import django
django.setup()
from django.test import Client
Client().get("/healthz?token=secret", HTTP_HOST="example.org", secure=True)
"""
    result = run(["-c", script], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "ssemap.requests"]
    assert len(requests) == 1
    entry = requests[0]
    assert (entry["method"], entry["path"], entry["level"]) == ("GET", "/healthz", "INFO")
    assert entry["status"] in {200, 503}
    assert isinstance(entry["duration_ms"], float)
    # The query string (tokens, personal searches) is not logged.
    assert "secret" not in result.stdout


def development_env(tmp_path, **extra):
    env = production_env(tmp_path, **extra)
    for name in ("SSEMAP_ENV", "SECRET_KEY", "ALLOWED_HOSTS"):
        if name not in extra:
            env.pop(name)
    return env


def test_an_unknown_environment_name_is_refused_at_start_up(tmp_path):
    for typo in ("prod", "producton", "staging", ""):
        result = run(["manage.py", "check"], production_env(tmp_path, SSEMAP_ENV=typo))
        assert result.returncode != 0, typo
        assert "is not one of development, production" in result.stderr


def test_an_unset_environment_is_refused_on_a_server(tmp_path):
    result = run(["manage.py", "check"], development_env(tmp_path, ALLOWED_HOSTS="example.org"))
    assert result.returncode != 0
    assert "SSEMAP_ENV is not set" in result.stderr


def test_gunicorn_refuses_to_serve_without_an_environment(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--bind", "127.0.0.1:8301", "--workers", "1", "ssemap.wsgi"],
        cwd=ROOT,
        env=development_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SSEMAP_ENV is not set" in result.stderr


def test_a_workstation_without_an_environment_is_development(tmp_path):
    values = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        development_env(tmp_path),
    )
    assert values.returncode == 0, values.stderr
    assert values.stdout.strip() == "True"
    explicit = run(
        ["manage.py", "check"],
        development_env(tmp_path, SSEMAP_ENV="development", ALLOWED_HOSTS="192.168.1.10"),
    )
    assert explicit.returncode == 0, explicit.stderr


def test_the_log_level_is_read_in_any_case_as_gunicorn_reads_it(tmp_path):
    """``LOG_LEVEL`` serves gunicorn (which lower-cases it) and Django's root logger: written
    ``warning`` as gunicorn's own documentation spells it, Django started with « Unknown
    level: 'warning' »."""
    found = production_settings(tmp_path, ["LOGGING"], LOG_LEVEL="warning")
    assert found["LOGGING"]["root"]["level"] == "WARNING"
