"""The database work of each page does not grow with the data: same query count at 10 and 1,000."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import caching
from initiatives.models import Initiative
from tests.scale_world import add_samples

PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?theme=alimentation&low_tech=1&practice=production-distribuee",
    "/initiatives/?q=recyclerie",
    "/initiatives/?territory=metropole-test&sort=name",
    "/initiatives/?page=2",
    "/territories/metropole-test/",
]
MAP_QUERIES_AT_MOST = 4  # data version; points (or: points tried, cells, single points)


def queries(client, path):
    """Queries of one cold request (the cache empty, and what each process keeps)."""
    cache.clear()
    caching.clear_in_process()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


def detail_page():
    """A sample initiative's page (its nearby list is full at both sizes)."""
    return Initiative.objects.published().order_by("pk").first().get_absolute_url()


@pytest.mark.parametrize("path", PAGES)
def test_page_queries_do_not_grow_with_the_data(client, communes, path):
    add_samples(30)
    few = queries(client, path)
    add_samples(970, seed=2)
    assert queries(client, path) == few


def test_initiative_page_queries_do_not_grow_with_the_data(client, communes):
    """Nearby initiatives are searched in growing boxes: fewer when the data is dense."""
    add_samples(30)
    page = detail_page()
    few = queries(client, page)
    add_samples(970, seed=2)
    assert queries(client, page) <= few


@pytest.mark.parametrize(
    "path",
    [
        "/api/initiatives.geojson?zoom=5&bbox=-6,41,10,51.5",
        "/api/initiatives.geojson?zoom=5&bbox=-6,41,10,51.5&theme=alimentation",
        "/api/initiatives.geojson?zoom=16&bbox=-1.21,43.29,-1.19,43.31",
    ],
)
def test_map_data_queries_are_bounded(client, communes, path):
    add_samples(30)
    assert queries(client, path) <= MAP_QUERIES_AT_MOST
    add_samples(970, seed=2)
    assert queries(client, path) <= MAP_QUERIES_AT_MOST


def test_cached_pages_need_fewer_queries(client, communes):
    add_samples(200)
    path = "/initiatives/?theme=alimentation&low_tech=1"
    cold = queries(client, path)
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    assert len(warm.captured_queries) < cold


@pytest.mark.django_db
def test_a_territory_s_directory_fits_the_map_to_its_outline_without_reading_its_initiatives(
    client,
):
    """The map of a territory's directory shows the territory, as its page does: its outline's
    box, where the box of its initiatives took a scan of them all (a region at a million)."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from territories.models import Outline
    from tests.factories import CommuneFactory, InitiativeFactory

    commune = CommuneFactory(latitude=45.5, longitude=4.5)
    region = commune.region
    Outline.objects.create(
        territory=region, geometry="{}", west=2.0, south=44.0, east=7.0, north=46.5, source="test"
    )
    InitiativeFactory(commune=commune, latitude=45.5, longitude=4.5)
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/initiatives/?territory={region.slug}")
    assert json.loads(response.context["bounds_json"]) == [[44.0, 2.0], [46.5, 7.0]]
    assert not [q for q in context.captured_queries if "MIN(" in q["sql"]]
    # Including those that serve it from elsewhere: the box of the results themselves.
    response = client.get(f"/initiatives/?territory={region.slug}&serving=1")
    assert json.loads(response.context["bounds_json"]) == [[45.5, 4.5], [45.5, 4.5]]
