"""The map of all of France without a scan: its coarse grids kept by the database (PostgreSQL).

Every visitor's first map request is the whole of France, unfiltered, and any write anywhere
invalidates it; the cell tallies give the same grid a grouped query over the initiatives gives,
after any sequence of writes.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import mapdata, tallies
from initiatives.geo import BBox
from initiatives.models import Initiative, Status
from tests.factories import CommuneFactory, InitiativeFactory, PendingInitiativeFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps no cell tallies: it groups"
    ),
]
LEVELS = (0, 3, 7, 9, 11, 12, 13)


def grid(cells_and_singles):
    cells, singles = cells_and_singles
    return (
        sorted(
            (
                c["cell_x"],
                c["cell_y"],
                c["count"],
                round(c["mean_lat"], 9),
                round(c["mean_lon"], 9),
                *(round(c[side], 9) for side in ("west", "south", "east", "north")),
            )
            for c in cells
        ),
        sorted(row[0] for row in singles),
    )


def assert_tallies_give_the_grouped_grid():
    published = Initiative.objects.published()
    for level in LEVELS:
        assert grid(mapdata._tallied_cells(level)) == grid(mapdata._cells(published, level))


@pytest.fixture
def places():
    lyon = CommuneFactory(latitude=45.76, longitude=4.83)
    brest = CommuneFactory(latitude=48.39, longitude=-4.49)
    rows = []
    for i in range(6):
        rows.append(
            InitiativeFactory(commune=lyon, latitude=45.70 + i / 50, longitude=4.80 + i / 40)
        )
    for i in range(3):
        rows.append(
            InitiativeFactory(commune=brest, latitude=48.35 + i / 60, longitude=-4.55 + i / 50)
        )
    return {"lyon": lyon, "brest": brest, "rows": rows}


def test_after_every_kind_of_write_the_cell_tallies_give_the_grouped_grid(places):
    rows = places["rows"]
    assert_tallies_give_the_grouped_grid()

    westernmost = min(rows, key=lambda r: r.longitude)
    Initiative.objects.filter(pk=westernmost.pk).update(status=Status.ARCHIVED)  # an edge
    assert_tallies_give_the_grouped_grid()

    moved = rows[0]
    moved.latitude, moved.longitude = 47.2, 1.5  # moved to the Loire
    moved.save()
    assert_tallies_give_the_grouped_grid()

    pending = PendingInitiativeFactory(commune=places["lyon"], latitude=45.9, longitude=5.1)
    assert_tallies_give_the_grouped_grid()  # not public: not counted
    Initiative.objects.filter(pk=pending.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    rows[3].delete()
    assert_tallies_give_the_grouped_grid()

    tallies.rebuild()
    assert_tallies_give_the_grouped_grid()


def test_the_map_of_france_reads_the_cell_tallies(client, places, monkeypatch):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 3)  # clustered with a handful of rows
    with CaptureQueriesContext(connection) as context:
        response = client.get("/api/initiatives.geojson?zoom=5&bbox=-6,41,10,51.5")
    collection = json.loads(response.content)
    assert collection["clustered"] is True
    assert collection["total"] == 9
    sqls = [q["sql"] for q in context.captured_queries]
    assert any("initiatives_celltally" in sql for sql in sqls)
    assert not [sql for sql in sqls if "GROUP BY" in sql.upper()]
    # A filter: the grid is grouped from the initiatives (through the covering index).
    filtered = client.get("/api/initiatives.geojson?zoom=5&bbox=-6,41,10,51.5&low_tech=1")
    assert filtered.status_code == 200


def test_a_city_map_reads_the_cells_it_overlaps_and_cuts_them_as_the_coarse_levels(
    client, places, monkeypatch
):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 3)
    box = "4.6,45.5,5.1,46.0"  # Lyon's rows, zoom 10: grid level 12
    assert mapdata.cluster_level(10, BBox(4.6, 45.5, 5.1, 46.0)) == 12
    with CaptureQueriesContext(connection) as context:
        collection = json.loads(client.get(f"/api/initiatives.geojson?zoom=10&bbox={box}").content)
    sqls = [q["sql"] for q in context.captured_queries]
    assert any("initiatives_celltally" in sql for sql in sqls)
    assert not [sql for sql in sqls if "GROUP BY" in sql.upper()]
    assert collection["clustered"] is True
    assert collection["total"] == 6  # Lyon's six, none of Brest's

    # What the whole grid, grouped from the initiatives, gives once cut to the area.
    area = BBox(4.6, 45.5, 5.1, 46.0)
    cells, singles = mapdata._cells(Initiative.objects.published(), 12)
    inside = [c for c in cells if area.contains(c["mean_lon"], c["mean_lat"])]
    inside_singles = [row for row in singles if area.contains(row[4], row[3])]
    assert collection["total"] == sum(c["count"] for c in inside) + len(inside_singles)
