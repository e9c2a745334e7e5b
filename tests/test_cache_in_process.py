"""Reference lists kept in each process: read once per version, never stale.

With the cache off (or emptied by a restart), every directory view read its five reference
lists from the database; each process now keeps them, keyed by the reference data's version,
which every request reads anyway.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from initiatives.directory import reference_list
from initiatives.models import Theme
from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def theme_reads(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    # The list of all themes (not the prefetch of the results' own, through their links).
    listed = [
        q["sql"]
        for q in context.captured_queries
        if 'FROM "initiatives_theme"' in q["sql"] and "initiative_themes" not in q["sql"]
    ]
    return response, listed


@override_settings(CACHES=DUMMY)
def test_with_the_cache_off_a_process_reads_the_themes_once_per_version(client):
    food = ThemeFactory(slug="food", name_fr="Alimentation", name_en="Food")
    InitiativeFactory(themes=[food])
    _, first = theme_reads(client, "/initiatives/")
    assert first  # read once for this version
    _, again = theme_reads(client, "/initiatives/")
    assert not again

    Theme.objects.filter(pk=food.pk).update(name_fr="Alimentation durable")  # a new version
    response, after = theme_reads(client, "/initiatives/")
    assert after
    assert "Alimentation durable" in response.content.decode()


@override_settings(CACHES=DUMMY)
def test_the_home_page_counts_do_not_stick_to_the_shared_themes(client):
    food = ThemeFactory(slug="food", name_fr="Alimentation")
    InitiativeFactory(themes=[food])
    assert ">1</span>" in client.get("/").content.decode().replace(" ", "")
    InitiativeFactory(themes=[food])
    InitiativeFactory(themes=[food])
    assert ">3</span>" in client.get("/").content.decode().replace(" ", "")
    # The themes this process keeps are those every request reads: nothing is written on them.
    assert not any(hasattr(theme, "count") for theme in reference_list(Theme))


@pytest.mark.django_db
def test_within_a_request_each_scope_version_is_read_once():
    from initiatives import caching

    caching._request_started()  # as the request_started signal does (not sent here: it
    # would also close the test's connection when the request ends)
    try:
        with CaptureQueriesContext(connection) as queries:
            caching.scoped_version([])  # the reference data alone
            caching.scoped_version(["t:1"])  # it and a territory: only the territory is read
            caching.scoped_version(["t:1", "t:2"])
            caching.scoped_version(["t:2"])  # all known: no query
        reads = [q["sql"] for q in queries.captured_queries]
        assert len(reads) == 3
        assert "IN ('t:1')" in reads[1] and "IN ('t:2')" in reads[2]
    finally:
        caching._request_finished()
