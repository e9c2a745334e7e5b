"""Cached map data and facet counts follow every change at once; HTTP validators with them."""

import json
import re

from curation.moderation import transition
from initiatives.caching import data_version
from initiatives.models import Initiative, Status, Theme
from tests.factories import InitiativeFactory, PendingInitiativeFactory
from tests.scale_world import add_samples

MAP = "/api/initiatives.geojson?zoom=5&bbox=-6,41,10,51.5"


def slugs(client, url=MAP):
    return {f["id"] for f in json.loads(client.get(url).content)["features"]}


def theme_count(client, slug):
    """The count the directory's theme facet shows for ``slug``."""
    response = client.get("/en/initiatives/")
    for facet in response.context["directory"].facets():
        if facet.name == "theme":
            return next(o.count for o in facet.options if o.value == slug)
    raise AssertionError("no theme facet")


def test_a_publish_shows_at_once_in_cached_map_data(client, communes):
    add_samples(20)
    pending = PendingInitiativeFactory(commune=communes[3])
    assert pending.slug not in slugs(client)  # now cached without it
    transition(pending, Status.PUBLISHED, by=None)
    assert pending.slug in slugs(client)


def test_a_bulk_update_also_changes_the_data_version(client, communes):
    """Admin bulk actions use QuerySet.update(), which sends no signal: triggers still see it."""
    add_samples(20)
    before = data_version()
    assert slugs(client)
    Initiative.objects.update(status=Status.ARCHIVED)
    assert data_version() != before
    assert slugs(client) == set()


def test_facet_counts_follow_a_change_of_themes(client, communes):
    add_samples(30)
    food = Theme.objects.get(slug="alimentation")
    before = theme_count(client, "alimentation")
    assert theme_count(client, "alimentation") == before  # served from the cache
    outsider = Initiative.objects.published().exclude(themes=food).first()
    outsider.themes.add(food)  # a many-to-many change, nothing saved on the initiative
    assert theme_count(client, "alimentation") == before + 1


def test_map_data_has_validators_and_answers_304_until_the_data_changes(client, communes):
    add_samples(20)
    first = client.get(MAP)
    assert first["Cache-Control"] == "public, no-cache"
    assert first.has_header("Last-Modified")
    etag = first["ETag"]
    assert client.get(MAP, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(MAP + "&theme=alimentation")["ETag"] != etag
    InitiativeFactory(commune=communes[0])  # a publish changes the version
    again = client.get(MAP, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_exports_carry_validators_too(client, communes):
    add_samples(5)
    response = client.get("/initiatives/export.csv")
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    cached = client.get("/initiatives/export.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert cached.status_code == 304


def rendered_theme_count(client, slug):
    """The count printed next to a theme in the directory's filters form."""
    html = client.get("/en/initiatives/").content.decode()
    match = re.search(
        rf'for="f-theme-{slug}">[^<]*<span class="count"><span class="visually-hidden">\(</span>(\d+)',
        html,
    )
    assert match, "theme option not found"
    return int(match.group(1))


def test_the_cached_filters_form_shows_a_publish_at_once(client, communes):
    add_samples(30)
    before = rendered_theme_count(client, "alimentation")
    pending = PendingInitiativeFactory(commune=communes[5])
    pending.themes.set([Theme.objects.get(slug="alimentation")])
    assert rendered_theme_count(client, "alimentation") == before  # pending: not counted
    transition(pending, Status.PUBLISHED, by=None)
    assert rendered_theme_count(client, "alimentation") == before + 1
