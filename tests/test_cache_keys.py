"""Cache keys and ETags come from the validated filters, never from the raw query string.

A crafted query must never share a cache entry with a real filtered view: if it did, its
(unfiltered, or differently filtered) answer would be served to every visitor of that view.
"""

import json

import pytest

from initiatives import caching

REAL = "q=atelier&theme=alimentation"
# The same characters, but one search text holding "&theme=alimentation": a different query.
CRAFTED = "q=atelier%26theme%3Dalimentation"
MAP = "/api/initiatives.geojson?zoom=5&"


def feature_ids(response):
    return sorted(
        f.get("id") or f.get("properties", {}).get("slug", "")
        for f in response_json(response)["features"]
    )


def response_json(response):
    return json.loads(response.content)


@pytest.fixture
def crafted_first(client, world):
    """The crafted query is asked first, so its answer would be the one cached."""
    client.get(f"/initiatives/?{CRAFTED}")
    client.get(MAP + CRAFTED)
    return world


def test_a_search_text_holding_a_filter_does_not_share_the_directory_cache(client, crafted_first):
    response = client.get(f"/initiatives/?{REAL}")
    assert response.context["page_obj"].paginator.count == 1
    assert [i.slug for i in response.context["page_obj"]] == [crafted_first.repair.slug]


def test_a_search_text_holding_a_filter_does_not_share_the_facet_counts(client, crafted_first):
    facets = client.get(f"/initiatives/?{REAL}").context["directory"].facets()
    practice = next(f for f in facets if f.name == "practice")
    assert {o.value: o.count for o in practice.options}["mutualisation"] == 1


def test_a_search_text_holding_a_filter_does_not_share_the_map_cache(client, crafted_first):
    response = client.get(MAP + REAL)
    assert response_json(response)["total"] == 1


def test_a_search_text_holding_a_filter_has_its_own_etag(client, world):
    assert client.get(MAP + REAL)["ETag"] != client.get(MAP + CRAFTED)["ETag"]


def test_unknown_parameters_change_neither_the_etag_nor_the_cached_answer(client, world):
    plain = client.get(MAP + "theme=alimentation")
    tagged = client.get(MAP + "theme=alimentation&utm_source=x&zz=%26theme%3Dmobilite")
    assert tagged["ETag"] == plain["ETag"]
    assert tagged.content == plain.content


def test_the_order_and_repetition_of_values_do_not_matter(client, world):
    one = client.get(MAP + "theme=alimentation&theme=mobilite")
    other = client.get(MAP + "theme=mobilite&theme=alimentation&theme=mobilite")
    assert one["ETag"] == other["ETag"]


def test_an_invalid_query_gets_no_validators(client, world):
    response = client.get(MAP + "theme=nope")
    assert response.status_code == 400
    assert not response.has_header("ETag")


@pytest.mark.parametrize(
    "path",
    [
        MAP + REAL,
        "/initiatives/export.csv?" + REAL,
        "/api/v1/gogocarto/elements.json?" + REAL,
        "/alerts/feed.atom?" + REAL,
    ],
)
def test_a_request_builds_its_key_once_for_validators_and_view(client, world, monkeypatch, path):
    """The ETag, the ``Last-Modified`` and the view each ask for the key of the validated
    filters: it is built once per request (it was built two or three times)."""
    built = []
    real = caching.filter_key
    monkeypatch.setattr(caching, "filter_key", lambda *a, **kw: built.append(1) or real(*a, **kw))
    response = client.get(path)
    assert response.status_code == 200
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    assert len(built) == 1
