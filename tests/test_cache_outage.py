"""The cache is an optimisation: when it fails, pages are computed, a warning is logged, and
``/healthz`` names the degraded part (issue 10, failure 7)."""

import json
import logging

import pytest
from django.conf import settings as django_settings

from tests.scale_world import add_samples

PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?theme=alimentation&low_tech=1",
    "/api/initiatives.geojson?zoom=5",
    "/api/initiatives.geojson?zoom=9&bbox=2,46,6,49",
]


def unusable_file_cache(tmp_path):
    # A directory under a regular file: unusable even for root.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return {
        **django_settings.CACHES["default"],
        "WRAPPED_BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(blocker / "cache"),
    }


def closed_redis_port():
    return {
        **django_settings.CACHES["default"],
        "WRAPPED_BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 8199 is ours (fast) and nothing listens on it.
        "LOCATION": "redis://127.0.0.1:8199/1",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


@pytest.fixture(params=["file", "redis"])
def broken_cache(request, settings, tmp_path):
    settings.CACHES = {
        "default": unusable_file_cache(tmp_path) if request.param == "file" else closed_redis_port()
    }


def test_the_cache_of_the_settings_fails_soft():
    assert django_settings.CACHES["default"]["BACKEND"] == "ssemap.cache.FailSoftCache"


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_computed_when_the_cache_fails(client, communes, broken_cache, url, caplog):
    add_samples(30)
    with caplog.at_level(logging.WARNING, logger="ssemap.cache"):
        response = client.get(url)
    assert response.status_code == 200
    assert any("cache" in record.getMessage() for record in caplog.records)


def test_territory_and_initiative_pages_are_computed_when_the_cache_fails(
    client, world, broken_cache
):
    assert client.get(f"/territories/{world.region.slug}/").status_code == 200
    assert client.get(f"/initiatives/{world.repair.slug}/").status_code == 200


def test_healthz_reports_the_degraded_cache(client, db, broken_cache):
    response = client.get("/healthz")
    assert response.status_code == 200  # the instance still serves
    assert json.loads(response.content) == {"status": "degraded", "degraded": ["cache"]}
