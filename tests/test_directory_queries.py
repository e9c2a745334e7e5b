"""No N+1: every public page costs the same number of queries with 2 or 20 initiatives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import TerritoryLever
from territories.models import EpciKind
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    InitiativeFactory,
    LegalFormFactory,
    LeverFactory,
    PracticeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?theme=t-food&low_tech=1&territory=metro-q&sort=name",
    "/initiatives/?q=atelier&practice=p-pool",
    "/initiatives/?sort=distance&near=commune-q",
    "/initiatives/first-one/",
    "/territories/",
    "/territories/?q=Commune",
    "/territories/metro-q/",
    "/territories/commune-q/",
    "/levers/",
    "/levers/l-premises/",
    "/about/",
    "/api/initiatives.geojson?zoom=12",
    "/initiatives/export.csv",
    "/initiatives/export.geojson?theme=t-food",
]


@pytest.fixture
def grow(db):
    """A function adding ``n`` fully linked initiatives to one metropolis."""
    metro = EpciFactory(slug="metro-q", epci_kind=EpciKind.METROPOLE)
    commune = CommuneFactory(epci=metro, slug="commune-q")
    other = CommuneFactory(epci=metro)
    themes = [ThemeFactory(slug="t-food"), ThemeFactory(slug="t-mob")]
    practices = [PracticeFactory(slug="p-pool")]
    lever = LeverFactory(slug="l-premises")
    form = LegalFormFactory(slug="f-assoc")
    TerritoryLever.objects.create(territory=metro, lever=lever, text="Des locaux.")
    made = []

    def add(n):
        for i in range(n):
            made.append(
                InitiativeFactory(
                    name="First one" if not made else f"Atelier {len(made)}",
                    commune=commune if i % 2 else other,
                    legal_form=form,
                    low_tech=True,
                    themes=themes,
                    practices=practices,
                    levers=[lever],
                )
            )

    return add


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(queries)


def test_no_page_costs_more_queries_with_20_initiatives_than_with_2(client, grow):
    grow(2)
    few = {path: count_queries(client, path) for path in PAGES}
    grow(18)
    many = {path: count_queries(client, path) for path in PAGES}
    # Never more; the initiative page's nearest-neighbour search widens its box when the
    # neighbourhood is sparse, and the territory pages keep what the new initiatives did not
    # change (their comparable territories), so these may cost fewer.
    assert {p: n for p, n in many.items() if n > few[p]} == {}


def test_list_pages_do_not_query_per_row(client, grow):
    grow(20)
    assert count_queries(client, "/initiatives/") <= 25
    # Per chunk of rows: the rows, one query per link table (four classifications and the
    # areas served); around them the version, the cache and the reference slugs, and whether
    # the selection holds a share-alike record (its licence, initiatives/licences.py).
    assert count_queries(client, "/initiatives/export.csv") <= 12
