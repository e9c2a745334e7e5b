"""Malformed parameters give a clear 400 (or 404 for a page past the end), never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db

MALFORMED = {
    "bbox=abc": "four numbers",
    "bbox=1,2,3": "four numbers",
    "bbox=10,40,5,50": "out of range",
    "bbox=nan,1,2,3": "four numbers",
    "bbox=" + "9" * 400: "at most 120",
    "page=-1": "whole number",
    "page=abc": "whole number",
    "page=99999999999999999999": "too large",
    "theme=unknown-theme": "unknown-theme",
    "theme=alimentation&theme=nope": "nope",
    "territory=nowhere": "Unknown territory",
    # Refused by the one gate for control characters (ssemap.middleware), before the FilterSet.
    "legal_form=%00": "control character",
    "size_class=huge": "huge",
    "sort=sideways": "Unknown sort",
    "near=Atlantis": "Atlantis",
    "q=" + "x" * 500: "at most 200",
}


@pytest.mark.parametrize(("query", "message"), list(MALFORMED.items()))
def test_directory_answers_400_with_the_reason(client, world, query, message):
    response = client.get(f"/en/initiatives/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html
    assert 'class="card"' not in html


@pytest.mark.parametrize(
    "path", ["/api/initiatives.geojson", "/initiatives/export.csv", "/initiatives/export.geojson"]
)
@pytest.mark.parametrize("query", [q for q in MALFORMED if not q.startswith("page=")])
def test_map_data_and_exports_answer_400_with_the_errors(client, world, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert errors and all(isinstance(m, str) for ms in errors.values() for m in ms)


@pytest.mark.parametrize("query", ["zoom=abc", "zoom=99", "zoom=-1"])
def test_map_data_refuses_a_malformed_zoom(client, world, query):
    response = client.get(f"/en/api/initiatives.geojson?{query}")
    assert response.status_code == 400
    assert "zoom" in json.loads(response.content)["errors"]


def test_a_page_past_the_end_is_404_with_a_message(client, world):
    response = client.get("/en/initiatives/?page=7")
    assert response.status_code == 404
    assert "There is no page 7" in response.content.decode()


def test_french_messages_by_default(client, world):
    response = client.get("/initiatives/?territory=nowhere")
    assert response.status_code == 400
    assert "Territoire inconnu" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "bbox=-400,-100,400,100",
        "bbox=2.2,48.8,2.5,48.9",
        "q=%20%20",
        "low_tech=0",
        "page=1",
        "sort=distance",
        "q='; DROP TABLE x;--",
        'q="unbalanced',
        "q=a|b&!c",
    ],
)
def test_odd_but_acceptable_parameters_are_understood(client, world, query):
    assert client.get(f"/initiatives/?{query}").status_code == 200
    assert client.get(f"/api/initiatives.geojson?{query}").status_code == 200


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=99999999999999999999"])
def test_a_malformed_page_is_reported_once(client, world, query):
    html = client.get(f"/en/initiatives/?{query}").content.decode()
    alert = html.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert alert.count("<li") == 1
