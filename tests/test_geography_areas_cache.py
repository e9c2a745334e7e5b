"""Cached answers about a territory follow the initiatives that serve it (migration 0013).

Lyon's map, directory and exports with the "serving" option show an initiative of Brittany
that serves the Métropole test: a change of its areas, of its status or of its other links
must move their validators and show at once — and a pending one must move nothing.
"""

import json

import pytest

from curation.moderation import transition
from initiatives.models import Status
from tests.factories import InitiativeFactory, PendingInitiativeFactory

SERVING = "&territory=metropole-test&serving=1"
LYON_MAP = "/api/initiatives.geojson?zoom=11" + SERVING
LYON_EXPORT = "/initiatives/export.csv?" + SERVING[1:]
TOWN_MAP = "/api/initiatives.geojson?zoom=11&territory=petiteville&serving=1"
DEPARTMENT_MAP = "/api/initiatives.geojson?zoom=9&territory=rhone-test&serving=1"
LYON_DIRECTORY = "/initiatives/?" + SERVING[1:]

pytestmark = pytest.mark.django_db


def validators(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"], response["Last-Modified"]


def slugs(client, url):
    return {f["id"] for f in json.loads(client.get(url).content)["features"]}


@pytest.fixture
def breton(world):
    """Published, in Brittany, serving nothing yet."""
    return InitiativeFactory(name="Épicerie mobile", commune=world.medium, themes=[world.food])


@pytest.mark.parametrize("url", [LYON_MAP, TOWN_MAP, DEPARTMENT_MAP])
def test_adding_an_area_served_shows_at_once(client, world, breton, url):
    before = validators(client, url)
    assert breton.slug not in slugs(client, url)
    breton.areas_served.add(world.metropolis)
    assert validators(client, url) != before
    assert breton.slug in slugs(client, url)


def test_an_area_inside_the_territory_moves_the_territorys_validators(client, world, breton):
    before = validators(client, DEPARTMENT_MAP)
    breton.areas_served.add(world.village)  # a commune of the department
    assert validators(client, DEPARTMENT_MAP) != before
    assert breton.slug in slugs(client, DEPARTMENT_MAP)


def test_removing_an_area_served_shows_at_once(client, world, breton):
    breton.areas_served.add(world.metropolis)
    before = validators(client, LYON_MAP)
    breton.areas_served.remove(world.metropolis)
    assert validators(client, LYON_MAP) != before
    assert breton.slug not in slugs(client, LYON_MAP)


def test_unpublishing_an_initiative_that_serves_lyon_shows_in_lyon(client, world, breton):
    breton.areas_served.add(world.metropolis)
    assert breton.slug in slugs(client, LYON_MAP)
    transition(breton, Status.ARCHIVED, by=None)
    assert breton.slug not in slugs(client, LYON_MAP)


def test_a_theme_of_an_initiative_that_serves_lyon_shows_in_lyon(client, world, breton):
    breton.areas_served.add(world.metropolis)
    url = LYON_MAP + "&theme=mobilite"
    before = validators(client, url)
    breton.themes.add(world.mobility)
    assert validators(client, url) != before
    assert breton.slug in slugs(client, url)


@pytest.mark.parametrize("url", [LYON_MAP, LYON_EXPORT])
def test_a_pending_initiative_serving_lyon_moves_nothing(client, world, url):
    before = validators(client, url)
    pending = PendingInitiativeFactory(commune=world.medium, themes=[world.food])
    pending.areas_served.add(world.metropolis)
    pending.name = "Renamed while pending"
    pending.save()
    assert validators(client, url) == before


def test_a_publish_in_brittany_serving_nothing_keeps_lyons_validators(client, world):
    before = validators(client, LYON_MAP)
    InitiativeFactory(commune=world.medium)
    assert validators(client, LYON_MAP) == before


def test_the_directorys_serving_count_follows_a_new_area(client, world, breton):
    count = client.get("/initiatives/?territory=metropole-test").context["directory"]
    assert count.serving_option().count == 0
    breton.areas_served.add(world.metropolis)
    again = client.get("/initiatives/?territory=metropole-test").context["directory"]
    assert again.serving_option().count == 1
    assert breton.name in client.get(LYON_DIRECTORY).content.decode()
