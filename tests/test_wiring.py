"""Wiring happens where Django expects it: when the apps are ready, not on first import."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A fresh worker: Django set up, nothing imported yet but what setup imports; its first
# request, counted query by query.
FIRST_REQUEST = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status = Client(HTTP_HOST="localhost").get("/initiatives/").status_code
    reads = [q["sql"] for q in queries.captured_queries if "initiatives_dataversion" in q["sql"]]
    print(status, len(reads))
    """
)


def test_a_workers_first_request_reads_the_data_version_once(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ssemap.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=300)

    run = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    assert run.stdout.split()[-2:] == ["200", "1"]
