""" "Near me": the directory sorted by distance from a position, the distance in the list."""

import pytest

from initiatives.models import Status
from tests.factories import CommuneFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    lyon = CommuneFactory(name="Lyon", latitude=45.76, longitude=4.84)
    lille = CommuneFactory(name="Lille", latitude=50.63, longitude=3.06)
    return [
        InitiativeFactory(
            name=name, commune=commune, latitude=lat, longitude=lon, status=Status.PUBLISHED
        )
        for name, commune, lat, lon in (
            ("Loin", lille, 50.63, 3.06),
            ("Tout près", lyon, 45.751, 4.801),
            ("Pas loin", lyon, 45.80, 4.90),
        )
    ]


def test_a_position_sorts_the_list_by_distance_and_shows_it(client, places):
    response = client.get("/initiatives/", {"near": "45.75,4.80", "sort": "distance"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Tout près") < html.index("Pas loin") < html.index("Loin<")
    assert "0,1 km" in html  # Tout près, about 130 m away, in the French number format
    assert "votre position" in html or "your position" in html


def test_the_position_is_rounded_to_about_100_m(client, places):
    response = client.get("/initiatives/", {"near": "45.751234,4.801234", "sort": "distance"})
    assert response.status_code == 200
    near = response.context["directory"].filterset.form.cleaned_data["near"]
    assert (near.latitude, near.longitude) == (45.751, 4.801)


@pytest.mark.parametrize("position", ["95,4.8", "45.7,200", "45.7,4.8,3"])
def test_a_position_off_the_earth_is_a_400(client, places, position):
    response = client.get("/initiatives/", {"near": position, "sort": "distance"})
    assert response.status_code == 400


def test_the_near_me_button_is_offered(client, places):
    html = client.get("/initiatives/").content.decode()
    assert "data-near-me" in html
    assert "js/near-me.js" in html


def test_the_map_is_told_where_distances_are_measured_from(client, places):
    """The map's popups say how far each point is: the results name the origin."""
    html = client.get("/initiatives/", {"near": "45.75,4.80", "sort": "distance"}).content.decode()
    assert 'data-near="45.750000,4.800000"' in html
    assert "data-distance-away=" in html  # "à %s" / "%s away", the list's words


def test_a_commune_is_an_origin_too(client, places):
    html = client.get("/initiatives/", {"near": "Lyon", "sort": "distance"}).content.decode()
    assert 'data-near="45.760000,4.840000"' in html


def test_without_a_distance_sort_the_map_measures_nothing(client, places):
    assert "data-near=" not in client.get("/initiatives/", {"near": "45.75,4.80"}).content.decode()
    assert "data-near=" not in client.get("/initiatives/").content.decode()
