"""Every directory view has an Atom feed of its newest published initiatives, linked from the
page; the view is read by the one FilterSet, so a bad query is a 400 with the reasons."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from initiatives.models import Initiative
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

FEED = "/alerts/feed.atom"


def read(client, query=""):
    response = client.get(f"{FEED}?{query}" if query else FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return feedparser.parse(response.content)


def test_the_feed_of_a_filtered_view_lists_its_published_initiatives_newest_first(client, world):
    now = timezone.now()
    Initiative.objects.filter(pk=world.repair.pk).update(published_at=now - timedelta(days=3))
    Initiative.objects.filter(pk=world.grocery.pk).update(published_at=now - timedelta(days=1))

    feed = read(client, "theme=alimentation")

    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    # The pending initiative (city, food) is never in it; the newest comes first.
    assert [entry.title for entry in feed.entries] == [
        "Épicerie du hameau",
        "Atelier de réparation",
    ]
    assert "Alimentation" in feed.feed.title
    assert feed.feed.link == "http://testserver/initiatives/?theme=alimentation"
    first = feed.entries[0]
    assert first.link == f"http://testserver{world.grocery.get_absolute_url()}"
    assert "Une épicerie solidaire." in first.summary
    assert first.published_parsed[:3] == (now - timedelta(days=1)).utctimetuple()[:3]
    assert {tag.term for tag in first.tags} == {"Alimentation"}


def test_the_feed_follows_every_filter_of_the_view(client, world):
    titles = [e.title for e in read(client, "territory=metropole-test&low_tech=1").entries]
    assert titles == ["Atelier de réparation"]
    assert read(client, "theme=mobilite&legal_form=scic&territory=bretagne-test").entries[
        0
    ].title == ("Autopartage breton")


def test_order_page_and_distance_do_not_change_the_feed(client, world):
    plain = read(client, "theme=mobilite")
    shaped = read(client, "sort=name&page=1&theme=mobilite")
    assert [e.title for e in shaped.entries] == [e.title for e in plain.entries]
    assert shaped.feed.link == plain.feed.link


def test_a_new_publication_shows_at_once(client, world):
    assert len(read(client, "theme=alimentation").entries) == 2
    InitiativeFactory(name="Cantine solidaire", commune=world.city, themes=[world.food])
    assert read(client, "theme=alimentation").entries[0].title == "Cantine solidaire"


def test_a_bad_query_is_a_400_naming_each_reason_in_the_visitors_language(client, world):
    response = client.get(f"{FEED}?theme=nope&page=zero&territory=atlantide")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"theme", "page", "territory"}
    english = client.get(f"/en{FEED}?territory=atlantide", headers={"accept-language": "en"})
    assert english.json()["errors"]["territory"] == ["Unknown territory."]


def test_the_directory_page_links_its_own_feed(client, world):
    page = client.get("/initiatives/?theme=alimentation&page=1").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Les nouvelles initiatives de '
        'cette vue (flux Atom)" href="/alerts/feed.atom?theme=alimentation' in page
    )
    assert 'href="/alerts/subscribe/?theme=alimentation' in page


def test_a_feed_reader_polling_a_current_copy_gets_a_304_until_something_is_published(
    client, world
):
    first = client.get(f"{FEED}?theme=alimentation")
    assert first["Cache-Control"] == "public, no-cache"
    validators = {"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]}
    assert client.get(f"{FEED}?theme=alimentation", headers=validators).status_code == 304
    # Another view of the same data has its own validator.
    assert client.get(f"{FEED}?theme=mobilite", headers=validators).status_code == 200

    InitiativeFactory(name="Cantine solidaire", commune=world.city, themes=[world.food])
    again = client.get(f"{FEED}?theme=alimentation", headers=validators)
    assert again.status_code == 200
    assert feedparser.parse(again.content).entries[0].title == "Cantine solidaire"


def test_a_cached_feed_costs_a_few_primary_key_lookups(
    client, world, django_assert_max_num_queries
):
    client.get(f"{FEED}?territory=metropole-test&theme=alimentation")
    # The FilterSet reads the territory and the theme, the cache key its scoped version.
    with django_assert_max_num_queries(4):
        response = client.get(f"{FEED}?territory=metropole-test&theme=alimentation")
    assert response.status_code == 200


def test_the_feed_speaks_the_language_of_its_address(client, world):
    feed = read(client, "theme=alimentation").feed
    english = feedparser.parse(client.get(f"/en{FEED}?theme=alimentation").content).feed
    assert feed.title == "Nouvelles initiatives — Alimentation"
    assert english.title == "New initiatives — Food"
    assert english.link == "http://testserver/en/initiatives/?theme=alimentation"
    assert english.language == "en"
