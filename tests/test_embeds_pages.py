"""The embed pages: the directory with the view's filters locked, light, without cookies, and
the only pages another site may frame; the builder that writes their iframe snippet."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db

EMBED = "/embed/?theme=alimentation&territory=rhone-alpes-test&show=both"


def test_an_embed_shows_the_views_initiatives_without_any_filter_form(client, world):
    response = client.get(EMBED)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Atelier de réparation" in text and "Épicerie du hameau" in text
    assert "Autopartage breton" not in text and "Vélos partagés" not in text
    assert "Projet secret en attente" not in text  # pending
    assert 'id="directory-filters"' not in text and "<form" not in text
    assert "site-header" not in text and "site-footer" not in text
    # The map reads the same view's data; links open the full site in a new tab.
    assert 'data-query="theme=alimentation&amp;territory=rhone-alpes-test"' in text
    assert '<base target="_blank">' in text


def test_map_only_and_list_only(client, world):
    map_only = client.get("/embed/?theme=alimentation&show=map").content.decode()
    assert 'data-initiative-map="embed-map"' in map_only and 'class="cards"' not in map_only
    list_only = client.get("/embed/?theme=alimentation&show=list").content.decode()
    assert "data-initiative-map" not in list_only and 'class="cards"' in list_only
    assert "leaflet" not in list_only  # nothing of the map is loaded


def test_an_embed_sets_no_cookie_even_for_a_visitor_who_has_some(client, world):
    assert client.get(EMBED).cookies == {}
    client.cookies["django_language"] = "en"
    client.cookies["csrftoken"] = "x" * 32
    response = client.get(EMBED)
    assert "Set-Cookie" not in response.headers
    assert response.cookies == {}


def test_any_site_may_frame_an_embed_and_no_other_page(client, world):
    embed = client.get(EMBED)
    assert "X-Frame-Options" not in embed.headers
    policy = embed.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self' 'nonce-" in policy  # the rest of the policy is the site's
    for url in (
        "/",
        "/initiatives/?theme=alimentation",
        f"/initiatives/{world.repair.slug}/",
        "/embed-this-map/?theme=alimentation",
        "/alerts/subscribe/?theme=alimentation",
        "/initiatives/submit/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


def test_a_bad_embed_is_a_400_saying_why_in_the_frame(client, world):
    response = client.get("/embed/?theme=nope&show=globe&height=9")
    assert response.status_code == 400
    text = response.content.decode()
    assert "nope" in text and "« show » doit valoir map, list ou both." in text
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def test_the_builder_writes_the_snippet_of_the_current_view(client, world):
    response = client.get(
        "/embed-this-map/?theme=alimentation&territory=rhone-alpes-test&page=3&show=map&height=640"
    )
    assert response.status_code == 200
    text = response.content.decode()
    snippet = html.unescape(
        re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', text, re.S)[1]
    )
    assert snippet.startswith(
        '<iframe src="http://testserver/embed/?theme=alimentation&territory=rhone-alpes-test&show=map"'
    )
    assert 'height="640"' in snippet and "page=" not in snippet
    # The filters it locks, in words; the options kept for the next change.
    assert "Alimentation" in text and "Rhône-Alpes test" in text
    assert '<input type="hidden" name="territory" value="rhone-alpes-test">' in text
    assert 'value="map" id="id_show_1" checked' in text or 'value="map" checked' in text


def test_the_directory_links_its_builder(client, world):
    text = client.get("/initiatives/?theme=alimentation").content.decode()
    assert 'href="/embed-this-map/?theme=alimentation"' in text


def test_a_bad_builder_query_is_a_400(client, world):
    response = client.get("/embed-this-map/?territory=atlantide&height=abc")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Territoire inconnu." in text and "La hauteur doit être" in text


def test_an_embed_speaks_the_language_of_its_address(client, world):
    text = client.get("/en/embed/?theme=alimentation").content.decode()
    assert '<html lang="en">' in text and "Food" in text and "2 initiatives" in text
    builder = client.get("/en/embed-this-map/?theme=alimentation").content.decode()
    assert "http://testserver/en/embed/?theme=alimentation&amp;show=both" in builder
