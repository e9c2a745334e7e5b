"""Production serving: the health check, a clear 503 while the database is down, request logs."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from ssemap.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def database_down():
    """Every new query fails as it does when PostgreSQL is stopped."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
    )


@pytest.fixture
def visitor():
    # A real visitor's view of errors: the response, not the exception re-raised in the test.
    return Client(raise_request_exception=False)


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_without_details_when_the_database_is_down(visitor):
    with database_down():
        response = visitor.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_healthz_is_not_translated(client):
    assert client.get("/en/healthz").status_code == 404


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("/", "ssemap est momentanément indisponible"),
        ("/en/", "ssemap is temporarily unavailable"),
        ("/initiatives/", "ssemap est momentanément indisponible"),
        ("/en/initiatives/", "ssemap is temporarily unavailable"),
    ],
)
def test_a_database_outage_is_a_clear_503_in_the_visitors_language(visitor, url, sentence):
    with database_down():
        response = visitor.get(url)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    html = response.content.decode()
    assert sentence in html
    assert "Traceback" not in html
    assert "OperationalError" not in html


def test_any_other_error_is_a_plain_500_page(visitor):
    with mock.patch("ssemap.health.connection") as broken:
        broken.cursor.side_effect = RuntimeError("boom")
        response = visitor.get("/healthz")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Traceback" not in html
    assert "boom" not in html
    assert "<h1>" in html


def test_unknown_pages_are_a_friendly_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_each_request_is_logged_once_with_method_path_status_and_duration(client, caplog):
    logger = logging.getLogger("ssemap.requests")
    with mock.patch.object(logger, "level", logging.INFO), caplog.at_level(logging.INFO):
        client.get("/healthz?secret=1")
    records = [r for r in caplog.records if r.name == "ssemap.requests"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert record.duration_ms >= 0


def test_json_log_lines_carry_the_request_fields():
    record = logging.LogRecord("ssemap.requests", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.method, record.path, record.status, record.duration_ms = "GET", "/", 200, 1.5
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "ssemap.requests"
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == (
        "GET",
        "/",
        200,
        1.5,
    )
    assert entry["time"].endswith("+00:00")
