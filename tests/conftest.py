"""Fixtures shared by the whole suite (pytest finds them here: no import needed)."""

import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from django.utils import translation

from initiatives import caching
from tests.directory_world import build_world
from tests.factories import CommuneFactory, DepartmentFactory, ThemeFactory
from tests.scale_world import make_communes


class _OneAppCallAtATime(ThreadedWSGIServer):
    """The live server, its application called by one thread at a time. On SQLite, Django
    hands every request thread the test database's single in-memory connection, and two
    requests at once on it (a page's map data beside another request) failed now and then
    with "bad parameter or other API misuse". Connections are still accepted in threads, so
    a browser's idle keep-alive connection holds nothing."""

    lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self.lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def _live_server_app_in_turn_on_sqlite():
    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = _OneAppCallAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages and map data are cached on the data version; every test starts afresh all the same."""
    cache.clear()
    caching.clear_in_process()
    yield
    cache.clear()
    caching.clear_in_process()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language. A request through the test client
    leaves its language active in the test's thread: after a test that asked for /en/…, the
    next test's URLs (``get_absolute_url``) were reversed in English, and a browser test
    that expected French headings failed, depending on the order the tests ran in."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def reference_data(db):
    """The themes, practices, legal forms, levers and programmes of fixtures/reference.json."""
    call_command("loaddata", "reference", verbosity=0)


@pytest.fixture
def real_territories(db):
    """Every region, department, EPCI and commune of the shipped open-data fixture.

    Without their outlines (36,000 rows): a test that needs some asks ``outlines_of``.
    """
    call_command("load_territories", without_outlines=True, verbosity=0)


@pytest.fixture
def outlines_of(real_territories):
    """``outlines_of(*territories)`` loads the shipped outlines of these territories only."""
    from territories.loader import load_outlines, read_outlines

    return lambda *territories: load_outlines(read_outlines(), territories)


@pytest.fixture
def commune(db):
    """Plouhinec (29197, Finistère) at its town hall: the commune the submission tests type."""
    department = DepartmentFactory(code="29", name="Finistère")
    return CommuneFactory(
        name="Plouhinec",
        code="29197",
        postcodes="29780",
        epci__department=department,
        latitude=48.01443,
        longitude=-4.48688,
    )


@pytest.fixture
def theme(db):
    """The theme "Solidarité" (``solidarite``)."""
    return ThemeFactory(slug="solidarite", name_fr="Solidarité", name_en="Solidarity")


@pytest.fixture
def world(db):
    """A small, fully known directory (tests/directory_world.py)."""
    return build_world()


@pytest.fixture
def communes(reference_data):
    """Forty communes over mainland France, for the many-initiatives tests (tests/scale_world.py)."""
    return make_communes()
