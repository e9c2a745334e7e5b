"""How precise an initiative's point is: stored, shown, exported, and set where it is made."""

import json
import random

import pytest
from django.urls import reverse

from initiatives.demo import generate_samples
from initiatives.models import Initiative, LocationPrecision, Status
from territories.models import Outline
from territories.outlines import contains
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory
from tests.test_directory_exports import csv_rows, exported_geojson

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/initiatives/submit/"

# A triangle around Plouhinec: a commune outline whose box is half empty.
TRIANGLE = {
    "type": "Polygon",
    "coordinates": [[[-4.6, 47.95], [-4.4, 47.95], [-4.6, 48.1], [-4.6, 47.95]]],
}


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    CommuneFactory(name="Plouhinec", code="29197", latitude=48.01443, longitude=-4.48688)
    return {
        "name": "Repair café du Cap",
        "summary": "Un atelier de réparation ouvert à toutes et tous.",
        "description": "Chaque samedi, des bénévoles aident à réparer.",
        "organisation": "Les Bricoleurs du Cap",
        "themes": [ThemeFactory().pk],
        "commune": "Plouhinec",
        "commune_code": "29197",
        "latitude": "48.02",
        "longitude": "-4.49",
        "submitter_name": "Camille Martin",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


def test_a_submission_without_a_pin_is_placed_at_its_commune(client, data):
    data = {**data, "latitude": "", "longitude": ""}
    assert client.post(SUBMIT_URL, data).status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.location_precision == LocationPrecision.COMMUNE


def test_a_submission_with_a_pin_is_exact(client, data):
    assert client.post(SUBMIT_URL, data).status_code == 302
    assert Initiative.objects.get().location_precision == LocationPrecision.EXACT


def test_precision_is_in_the_page_the_map_data_and_the_exports(client):
    initiative = InitiativeFactory(
        status=Status.PUBLISHED, location_precision=LocationPrecision.APPROXIMATE
    )
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "location-approximate" in page
    features = client.get(reverse("initiatives:map-data")).json()["features"]
    assert [f["properties"]["precision"] for f in features] == ["approximate"]
    assert csv_rows(client)[0]["location_precision"] == "approximate"
    assert exported_geojson(client)["features"][0]["properties"]["location_precision"] == (
        "approximate"
    )


def test_samples_are_approximate_points_inside_their_communes_outline():
    commune = CommuneFactory(population=5000, latitude=48.0, longitude=-4.55)
    Outline.objects.create(
        territory=commune,
        geometry=json.dumps(TRIANGLE),
        west=-4.6,
        south=47.95,
        east=-4.4,
        north=48.1,
        source="test",
    )
    generate_samples(60, seed=3)
    samples = Initiative.objects.samples()
    assert samples.count() == 60
    assert set(samples.values_list("location_precision", flat=True)) == {"approximate"}
    for lat, lon in samples.values_list("latitude", "longitude"):
        assert contains(TRIANGLE, lat, lon)
    # Spread over the outline, not stacked at the commune's point.
    assert len(set(samples.values_list("latitude", flat=True))) == 60


def test_random_points_cover_the_outline_uniformly():
    from territories.outlines import random_point

    rng = random.Random(5)
    points = [random_point(TRIANGLE, (-4.6, 47.95, -4.4, 48.1), rng) for _ in range(400)]
    west_half = sum(1 for _lat, lon in points if lon < -4.5)
    assert 0.65 < west_half / len(points) < 0.85  # the triangle's area west of -4.5 is 75%
