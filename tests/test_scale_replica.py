"""Visitors' reads go to the replica; submitters and curators read what they wrote (ssemap/db.py).

The routing is checked here; bench/replica checks it against a real streaming replica whose
replay is paused (a visitor sees the replica's older data, the writer the primary's).
"""

import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import RequestFactory

from ssemap.db import PIN_COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter, ReadYourWritesMiddleware

router = PrimaryReplicaRouter()


def read_database(request):
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(None)
        return HttpResponse()

    response = ReadYourWritesMiddleware(view)(request)
    return seen["db"], response


def test_a_visitors_get_reads_from_the_replica():
    assert read_database(RequestFactory().get("/initiatives/"))[0] == REPLICA


def test_a_post_reads_from_the_primary_and_pins_the_browser_for_a_while():
    db, response = read_database(RequestFactory().post("/initiatives/submit/"))
    assert db == PRIMARY
    assert response.cookies[PIN_COOKIE]["max-age"] > 0
    after = RequestFactory().get("/initiatives/", HTTP_COOKIE=f"{PIN_COOKIE}=1")
    assert read_database(after)[0] == PRIMARY


def test_a_signed_in_curator_reads_from_the_primary():
    request = RequestFactory().get("/admin/", HTTP_COOKIE="sessionid=abc")
    assert read_database(request)[0] == PRIMARY


def test_outside_requests_reads_and_all_writes_go_to_the_primary():
    assert router.db_for_read(None) == PRIMARY
    assert router.db_for_write(None) == PRIMARY
    assert router.allow_migrate(REPLICA, "initiatives") is False


def test_the_replica_is_configured_from_the_environment_only():
    code = (
        "import ssemap.settings as s; "
        "print(sorted(s.DATABASES), s.__dict__.get('DATABASE_ROUTERS', []), s.MIDDLEWARE[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert plain.stdout.startswith("['default'] []")
    env["DATABASE_REPLICA_URL"] = "postgres://postgres@127.0.0.1:5433/ssemap"
    replica = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert replica.stdout.strip() == (
        "['default', 'replica'] ['ssemap.db.PrimaryReplicaRouter'] "
        "ssemap.db.ReadYourWritesMiddleware"
    )
