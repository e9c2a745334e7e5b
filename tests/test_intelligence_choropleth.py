"""The country by territory: a choropleth of initiatives per 10,000 inhabitants, its legend
and the table that says the same."""

import pytest

from intelligence.choropleth import PALETTE, breaks, colour_of
from territories.models import Outline
from tests.factories import CommuneFactory, DepartmentFactory, InitiativeFactory

SQUARE = '{"type":"Polygon","coordinates":[[[2,46],[3,46],[3,47],[2,47],[2,46]]]}'


def test_class_limits_are_quantiles_and_colours_follow_them():
    limits = breaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert limits == [2, 4, 6, 8]
    assert colour_of(0, limits) == PALETTE[0]
    assert colour_of(5, limits) == PALETTE[2]
    assert colour_of(9, limits) == PALETTE[-1]


@pytest.fixture
def departments(db):
    busy = DepartmentFactory(name="Dépt actif", population=10_000)
    calm = DepartmentFactory(name="Dépt calme", population=40_000)
    for department in (busy, calm):
        Outline.objects.create(
            territory=department, geometry=SQUARE, west=2, south=46, east=3, north=47, source="t"
        )
    commune = CommuneFactory(epci__department=busy)
    InitiativeFactory.create_batch(3, commune=commune)
    InitiativeFactory(commune=CommuneFactory(epci__department=calm))
    return busy, calm


def test_the_map_colours_each_department_and_the_table_ranks_them(client, departments):
    busy, calm = departments
    page = client.get("/en/territories-map/", {"level": "department"}).content.decode()
    assert page.count("<path d=") == 2
    assert PALETTE[-1] in page  # the busiest, darkest
    table = page[page.index("<tbody>") :]
    assert table.index("Dépt actif") < table.index("Dépt calme")
    assert "3.0" in table and "0.3" in table  # 3 per 10,000; 1 per 40,000 (0.25)


def test_an_unknown_level_answers_400(client, db):
    response = client.get("/en/territories-map/", {"level": "canton"})
    assert response.status_code == 400
    assert "Unknown level" in response.content.decode()


def test_the_levels_are_named_in_the_visitors_language(client, db):
    page = client.get("/territories-map/", {"level": "region"}).content.decode()
    for label in ("Régions", "Départements", "Intercommunalités"):
        assert label in page
