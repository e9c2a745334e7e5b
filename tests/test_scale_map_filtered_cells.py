"""A filtered map of France without a scan: its coarse grids per combination of the common
filters (themes, commune size, low-tech, legal form), kept by the database (PostgreSQL).

At a million initiatives, five themes and two size classes matched 380,000 rows, each
grouped on every map request after a write (700 ms). The filtered cell tallies give the grid
the grouped query over the matching initiatives gives, after any sequence of writes.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import mapdata, tallies
from initiatives.filters import InitiativeFilterSet
from initiatives.models import Initiative, Status
from territories.models import SizeClass, Territory
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    LegalFormFactory,
    PendingInitiativeFactory,
    PracticeFactory,
    ThemeFactory,
)
from tests.test_scale_map_cells import grid

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps no cell tallies: it groups"
    ),
]
LEVELS = (0, 5, 7, 9, 10)
FILTERS = [
    {"theme": ["food"]},
    {"theme": ["food", "energy"], "size_class": ["small_town", "rural"]},
    {"low_tech": "1"},
    {"legal_form": ["coop"], "theme": ["energy"]},
    {"size_class": ["small_town"], "low_tech": "1", "legal_form": ["coop", "association"]},
]


def assert_filtered_tallies_give_the_grouped_grid():
    for data in FILTERS:
        filterset = InitiativeFilterSet(data)
        filtered = filterset.tally_filtered_cells()
        assert filtered, data
        for level in LEVELS:
            tallied = grid(mapdata._tallied_cells(level, filtered=filtered))
            assert tallied == grid(mapdata._cells(filterset.qs, level)), (data, level)


@pytest.fixture
def places():
    food, energy = ThemeFactory(slug="food"), ThemeFactory(slug="energy")
    coop, association = LegalFormFactory(slug="coop"), LegalFormFactory(slug="association")
    lyon = CommuneFactory(
        latitude=45.76, longitude=4.83, population=500_000, size_class=SizeClass.LARGE_CITY
    )
    brest = CommuneFactory(
        latitude=48.39, longitude=-4.49, population=5_000, size_class=SizeClass.SMALL_TOWN
    )
    village = CommuneFactory(
        latitude=47.1, longitude=2.4, population=500, size_class=SizeClass.RURAL
    )
    rows = []
    for i, (commune, themes, form) in enumerate(
        [
            (lyon, [food], coop),
            (lyon, [food, energy], association),
            (lyon, [energy], None),
            (brest, [food], coop),
            (brest, [energy], coop),
            (brest, [], association),
            (village, [food, energy], coop),
            (village, [food], None),
            (village, [energy], association),
        ]
    ):
        rows.append(
            InitiativeFactory(
                commune=commune,
                latitude=commune.latitude + i / 70,
                longitude=commune.longitude + i / 45,
                themes=themes,
                legal_form=form,
                low_tech=i % 3 == 0,
            )
        )
    return {"rows": rows, "food": food, "energy": energy, "lyon": lyon, "brest": brest}


def test_after_every_kind_of_write_the_filtered_cell_tallies_give_the_grouped_grid(places):
    rows = places["rows"]
    assert_filtered_tallies_give_the_grouped_grid()

    rows[2].themes.add(places["food"])  # a link: the memberships' copy changes
    rows[1].themes.remove(places["energy"])
    assert_filtered_tallies_give_the_grouped_grid()

    # Brest grows into a medium city: its initiatives change size class.
    Territory.objects.filter(pk=places["brest"].pk).update(
        population=25_000, size_class=SizeClass.MEDIUM_CITY
    )
    assert_filtered_tallies_give_the_grouped_grid()

    Initiative.objects.filter(pk=rows[4].pk).update(low_tech=True, legal_form=None)
    westernmost = min(rows, key=lambda r: r.longitude)
    Initiative.objects.filter(pk=westernmost.pk).update(status=Status.ARCHIVED)  # an edge
    assert_filtered_tallies_give_the_grouped_grid()

    moved = Initiative.objects.get(pk=rows[0].pk)
    moved.latitude, moved.longitude = 47.2, 1.5  # moved to the Loire
    moved.save()
    pending = PendingInitiativeFactory(
        commune=places["lyon"], latitude=45.9, longitude=5.1, themes=[places["food"]]
    )
    assert_filtered_tallies_give_the_grouped_grid()  # not public: not counted
    Initiative.objects.filter(pk=pending.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    rows[6].delete()
    assert_filtered_tallies_give_the_grouped_grid()

    tallies.rebuild()
    assert_filtered_tallies_give_the_grouped_grid()


def test_a_map_of_france_with_common_filters_reads_the_filtered_tallies(
    client, places, monkeypatch
):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 2)  # clustered with a handful of rows
    query = "theme=food&theme=energy&size_class=rural&size_class=small_town"
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/api/initiatives.geojson?zoom=5&bbox=-6,41,10,51.5&{query}")
    collection = json.loads(response.content)
    sqls = [q["sql"] for q in context.captured_queries]
    assert any("initiatives_filteredcelltally" in sql for sql in sqls)
    grouped = [sql for sql in sqls if "GROUP BY" in sql.upper() and "filteredcelltally" not in sql]
    assert not grouped
    # Brest's two themed rows and the village's three.
    assert collection["clustered"] is True
    assert collection["total"] == 5


def test_other_filters_group_the_matching_initiatives(client, places, monkeypatch):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 1)
    practice = PracticeFactory(slug="sharing")
    for row in places["rows"][:4]:
        row.practices.add(practice)
    with CaptureQueriesContext(connection) as context:
        response = client.get("/api/initiatives.geojson?zoom=5&theme=food&practice=sharing")
    assert json.loads(response.content)["total"] == 3  # rows 0, 1 and 3 have both
    assert not any("filteredcelltally" in q["sql"] for q in context.captured_queries)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"practice": ["sharing"]},
        {"theme": ["food"], "territory": "lyon-tally"},
        {"theme": ["food"], "q": "jardin"},
        {"theme": ["unknown"]},
    ],
)
def test_the_filtered_tallies_answer_only_their_filters_over_all_of_france(places, data):
    PracticeFactory(slug="sharing")
    Territory.objects.filter(pk=places["lyon"].pk).update(slug="lyon-tally")
    assert InitiativeFilterSet(data).tally_filtered_cells() is None


def test_the_filtered_tallies_are_given_ids_and_codes(places):
    filterset = InitiativeFilterSet({"theme": ["food", "energy"], "low_tech": "1"})
    filtered = filterset.tally_filtered_cells()
    assert sorted(filtered["theme_ids"]) == sorted([places["food"].pk, places["energy"].pk])
    assert filtered == {"theme_ids": filtered["theme_ids"], "low_tech": True}
