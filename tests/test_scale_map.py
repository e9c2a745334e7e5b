"""Map data stays small at any size: clusters at low zoom, points when they fit."""

import json

from initiatives.geo import world_x, world_y
from initiatives.mapdata import MAX_POINTS
from initiatives.models import Initiative
from tests.factories import CommuneFactory, InitiativeFactory
from tests.scale_world import add_samples

FRANCE = "bbox=-6,41,10,51.5"


def map_data(client, query):
    response = client.get(f"/api/initiatives.geojson?{query}")
    assert response.status_code == 200
    return json.loads(response.content)


def counted(collection):
    """How many initiatives a collection represents: cluster counts plus single points."""
    return sum(f["properties"].get("count", 1) for f in collection["features"])


def test_low_zoom_clusters_add_up_to_the_filtered_total(client, communes):
    add_samples(5_000)
    published = Initiative.objects.published()
    for query, expected in (
        ("", published.count()),
        ("theme=alimentation", published.filter(themes__slug="alimentation").count()),
        ("low_tech=1&practice=production-distribuee", None),
    ):
        if expected is None:
            expected = published.filter(
                low_tech=True, practices__slug="production-distribuee"
            ).count()
        collection = map_data(client, f"zoom=5&{FRANCE}&{query}")
        assert expected > MAX_POINTS
        assert collection["clustered"] is True
        assert collection["total"] == expected
        assert counted(collection) == expected
        clusters = [f for f in collection["features"] if f["properties"].get("cluster")]
        assert clusters and len(collection["features"]) < 100


def test_a_cluster_sits_at_the_mean_of_its_points_inside_its_bounding_box(client, communes):
    add_samples(1_000)
    collection = map_data(client, f"zoom=5&{FRANCE}")
    for feature in collection["features"]:
        properties = feature["properties"]
        if not properties.get("cluster"):
            continue
        west, south, east, north = properties["bbox"]
        longitude, latitude = feature["geometry"]["coordinates"]
        assert west <= longitude <= east and south <= latitude <= north
        # A cluster's bounding box lies inside its grid cell: the initiatives in it (give or
        # take the rounding of the coordinates) are exactly the cluster's.
        e = 2e-5
        inside = Initiative.objects.published().filter(
            longitude__range=(west - e, east + e), latitude__range=(south - e, north + e)
        )
        points = list(inside.values_list("latitude", "longitude"))
        assert len(points) == properties["count"]
        assert abs(latitude - sum(p[0] for p in points) / len(points)) < 1e-4
        assert abs(longitude - sum(p[1] for p in points) / len(points)) < 1e-4


def test_high_zoom_sends_the_points_of_the_area(client, communes):
    add_samples(2_000)
    commune = communes[0]
    box = (
        commune.longitude - 0.05,
        commune.latitude - 0.05,
        commune.longitude + 0.05,
        commune.latitude + 0.05,
    )
    inside = Initiative.objects.published().filter(
        longitude__range=(box[0], box[2]), latitude__range=(box[1], box[3])
    )
    collection = map_data(client, "zoom=15&bbox=" + ",".join(map(str, box)))
    assert 0 < inside.count() <= MAX_POINTS
    assert collection["clustered"] is False
    assert {f["id"] for f in collection["features"]} == set(inside.values_list("slug", flat=True))
    assert all(f["properties"]["url"].endswith(f"/{f['id']}/") for f in collection["features"])


def test_a_dense_high_zoom_area_is_clustered_on_a_finer_grid(client, communes):
    crowded = communes[-1]
    crowded.population = 500_000  # samples are drawn by population: a third land here
    crowded.save()
    add_samples(3_000)
    box = (
        crowded.longitude - 0.05,
        crowded.latitude - 0.05,
        crowded.longitude + 0.05,
        crowded.latitude + 0.05,
    )
    query = "bbox=" + ",".join(map(str, box))
    total = (
        Initiative.objects.published()
        .filter(longitude__range=(box[0], box[2]), latitude__range=(box[1], box[3]))
        .count()
    )
    assert total > MAX_POINTS
    collection = map_data(client, f"zoom=15&{query}")
    assert collection["clustered"] is True
    assert counted(collection) == total
    coarse = map_data(client, f"zoom=12&{query}")
    assert len(collection["features"]) > len(coarse["features"])


def test_map_payloads_never_carry_private_or_unpublished_data(client, communes):
    add_samples(600)
    hidden = InitiativeFactory(
        commune=communes[0],
        status="pending",
        published_at=None,
        submitter_email="secret@example.org",
    )
    for query in (
        f"zoom=5&{FRANCE}",
        "zoom=16&bbox="
        + ",".join(
            map(
                str,
                (
                    hidden.longitude - 0.01,
                    hidden.latitude - 0.01,
                    hidden.longitude + 0.01,
                    hidden.latitude + 0.01,
                ),
            )
        ),
    ):
        body = client.get(f"/api/initiatives.geojson?{query}").content.decode()
        assert hidden.slug not in body
        assert "secret@example.org" not in body


def test_coarse_clusters_are_shared_by_areas_and_cut_to_each(client, communes):
    add_samples(2_000)
    whole = map_data(client, f"zoom=5&{FRANCE}")
    west = map_data(client, "zoom=5&bbox=-6,41,2.5,51.5")
    assert west["clustered"] is True
    assert all(f["geometry"]["coordinates"][0] <= 2.5 for f in west["features"])
    assert 0 < west["total"] < whole["total"]
    assert {json.dumps(f, sort_keys=True) for f in west["features"]} <= {
        json.dumps(f, sort_keys=True) for f in whole["features"]
    }


def test_cluster_markers_do_not_overlap(client, communes):
    # Two large towns 9 km apart on either side of a grid line (2.8125° E at zoom 8): their
    # cells' clusters would sit a few pixels apart at zoom 6.
    for longitude in (2.75, 2.875):
        CommuneFactory(
            latitude=47.0, longitude=longitude, population=400_000, epci=communes[0].epci
        )
    add_samples(3_000)
    collection = map_data(client, f"zoom=6&{FRANCE}")
    scale = 256 * 2**6
    centres = [
        (
            world_x(f["geometry"]["coordinates"][0]) * scale,
            world_y(f["geometry"]["coordinates"][1]) * scale,
        )
        for f in collection["features"]
        if f["properties"].get("cluster")
    ]
    assert len(centres) > 1
    for i, (x, y) in enumerate(centres):
        for ox, oy in centres[i + 1 :]:
            assert (x - ox) ** 2 + (y - oy) ** 2 >= 40**2
    assert counted(collection) == Initiative.objects.published().count()
