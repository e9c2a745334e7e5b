"""Cached answers and HTTP validators follow *public* data, and only the part they show.

A pending submission changes nothing any visitor can see, so no validator moves; a publish in
Brittany leaves the cache of Lyon's map, directory and territory page in place; a publish,
an unpublish or a link change in Lyon changes them at once.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curation.moderation import transition
from initiatives.models import Status
from tests.factories import InitiativeFactory, PendingInitiativeFactory

EVERYWHERE = "/api/initiatives.geojson?zoom=5"
LYON_MAP = "/api/initiatives.geojson?zoom=11&territory=metropole-test"
LYON_AREA = "/api/initiatives.geojson?zoom=11&bbox=4.7,45.7,5.0,45.85"
LYON_EXPORT = "/initiatives/export.csv?territory=metropole-test"
LYON_DIRECTORY = "/initiatives/?territory=metropole-test"


def validators(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"], response["Last-Modified"]


def slugs(client, url):
    features = json.loads(client.get(url).content)["features"]
    return {f["id"] for f in features}


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [EVERYWHERE, LYON_MAP, LYON_AREA, LYON_EXPORT])
def test_a_pending_submission_moves_no_public_validator(client, world, url):
    before = validators(client, url)
    pending = PendingInitiativeFactory(commune=world.city, themes=[world.food])
    pending.name = "Renamed while pending"
    pending.save()
    pending.practices.add(world.pooling)
    assert validators(client, url) == before
    assert client.get(url, HTTP_IF_NONE_MATCH=before[0]).status_code == 304


@pytest.mark.parametrize("url", [LYON_MAP, LYON_AREA, LYON_EXPORT])
def test_a_publish_in_brittany_keeps_lyons_validators(client, world, url):
    before = validators(client, url)
    everywhere = validators(client, EVERYWHERE)
    InitiativeFactory(commune=world.medium)
    assert validators(client, url) == before
    assert validators(client, EVERYWHERE) != everywhere


@pytest.mark.parametrize("url", [LYON_MAP, LYON_AREA])
def test_a_publish_in_lyon_shows_at_once_in_lyons_map(client, world, url):
    before = validators(client, url)
    new = InitiativeFactory(commune=world.city)
    assert validators(client, url) != before
    assert new.slug in slugs(client, url)


@pytest.mark.parametrize("url", [LYON_MAP, LYON_AREA])
def test_an_unpublish_in_lyon_shows_at_once_in_lyons_map(client, world, url):
    assert world.repair.slug in slugs(client, url)
    transition(world.repair, Status.ARCHIVED, by=None)
    assert world.repair.slug not in slugs(client, url)


def test_a_link_change_follows_the_initiatives_status(client, world):
    url = LYON_MAP + "&theme=mobilite"
    before = validators(client, url)
    world.pending.themes.add(world.mobility)  # unpublished: nothing public changes
    assert validators(client, url) == before
    world.repair.themes.add(world.mobility)  # published, in Lyon
    assert validators(client, url) != before
    assert world.repair.slug in slugs(client, url)


def test_reference_data_changes_every_scope(client, world):
    before = validators(client, LYON_MAP)
    world.food.name_fr = "Alimentation durable"
    world.food.save()
    assert validators(client, LYON_MAP) != before


@pytest.mark.parametrize("url", [LYON_DIRECTORY, "/territories/metropole-test/"])
def test_a_page_of_lyon_is_not_recomputed_after_a_publish_in_brittany(client, world, url):
    client.get(url)
    warm = queries(client, url)
    InitiativeFactory(commune=world.medium)
    assert queries(client, url) == warm
    new = InitiativeFactory(commune=world.city)
    assert queries(client, url) > warm
    assert new.name in client.get(url).content.decode()


@pytest.fixture
def crowded_lyon(world):
    """Enough published initiatives around Grandeville for a full "nearby" list."""
    return [
        InitiativeFactory(commune=world.city, latitude=45.76 + i / 1000, longitude=4.84)
        for i in range(7)
    ]


def test_an_initiative_page_is_not_recomputed_after_a_publish_far_away(client, world, crowded_lyon):
    url = crowded_lyon[0].get_absolute_url()
    client.get(url)
    warm = queries(client, url)
    InitiativeFactory(commune=world.medium)  # Brittany: not nearer than the five shown
    assert queries(client, url) == warm


def test_a_publish_next_door_shows_at_once_in_the_nearby_list(client, world, crowded_lyon):
    url = crowded_lyon[0].get_absolute_url()
    client.get(url)
    neighbour = InitiativeFactory(
        commune=world.city, name="Voisine immédiate", latitude=45.7601, longitude=4.8401
    )
    assert neighbour.name in client.get(url).content.decode()
    transition(neighbour, Status.ARCHIVED, by=None)
    assert neighbour.name not in client.get(url).content.decode()
