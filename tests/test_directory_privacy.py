"""Unpublished initiatives and private fields never reach a public page, map or export."""

import json

import pytest

from initiatives.models import Initiative, Status

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/",
    "/en/",
    "/initiatives/",
    "/initiatives/?q=secret",
    "/initiatives/?theme=alimentation&territory=grandeville",
    "/api/initiatives.geojson",
    "/api/initiatives.geojson?zoom=3",
    "/initiatives/export.csv",
    "/initiatives/export.geojson",
    "/territories/grandeville/",
    "/territories/metropole-test/",
    "/levers/",
    "/levers/locaux/",
]


def text_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_pending_initiative_and_submitter_never_appear(client, world, path):
    world.pending.submitter_name = "Camille Private"
    world.pending.save()
    response = client.get(path)
    assert response.status_code == 200
    text = text_of(response)
    for secret in (
        "Projet secret en attente",
        world.pending.slug,
        "camille.private@example.org",
        "Camille Private",
    ):
        assert secret not in text


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_submitter_of_a_published_initiative_stays_private(client, world, path):
    world.repair.submitter_name = "Dominique Cachée"
    world.repair.submitter_email = "dominique@example.org"
    world.repair.save()
    text = text_of(client.get(path))
    assert "Dominique Cachée" not in text
    assert "dominique@example.org" not in text


def test_unpublished_initiative_page_is_not_found(client, world):
    assert client.get(f"/initiatives/{world.pending.slug}/").status_code == 404
    for status in (Status.REJECTED, Status.ARCHIVED):
        # Straight to the status (moderation's table is tested apart and refuses a plain save).
        Initiative.objects.filter(pk=world.grocery.pk).update(status=status)
        assert client.get(f"/initiatives/{world.grocery.slug}/").status_code == 404


def test_facet_counts_ignore_unpublished_initiatives(client, world):
    html = client.get("/initiatives/?territory=grandeville").content.decode()
    assert "1 initiative" in html
    collection = json.loads(text_of(client.get("/api/initiatives.geojson?territory=grandeville")))
    assert [f["id"] for f in collection["features"]] == [world.repair.slug]
