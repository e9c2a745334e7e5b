"""Map data and open-data exports hold exactly the directory's results (initiatives/api.py)."""

import csv
import io
import json
import re

import pytest
from django.http import StreamingHttpResponse

from initiatives.exports import EXPORT_COLUMNS
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def listed(client, query):
    html = client.get(f"/initiatives/?{query}").content.decode()
    return set(re.findall(r'class="card" data-slug="([^"]+)"', html))


def mapped(client, query):
    collection = json.loads(body(client.get(f"/api/initiatives.geojson?{query}")))
    assert not any(f["properties"].get("cluster") for f in collection["features"])
    return {feature["id"] for feature in collection["features"]}


def csv_rows(client, query=""):
    response = client.get(f"/initiatives/export.csv?{query}")
    assert response.status_code == 200
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def exported_geojson(client, query=""):
    response = client.get(f"/initiatives/export.geojson?{query}")
    assert response.status_code == 200
    return json.loads(body(response))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme=alimentation&low_tech=1",
        "territory=metropole-test&legal_form=scic",
        "q=velos",
        "theme=mobilite&theme=alimentation&bbox=-5,45,5,46",
        "size_class=rural&size_class=large_city&sort=name",
    ],
)
def test_list_map_data_and_exports_of_one_query_hold_the_same_initiatives(client, world, query):
    in_list = listed(client, query)
    assert in_list == mapped(client, query)
    assert in_list == {row["slug"] for row in csv_rows(client, query)}
    features = exported_geojson(client, query)["features"]
    assert in_list == {feature["properties"]["slug"] for feature in features}


def test_csv_opens_in_a_french_spreadsheet(client, world):
    response = client.get("/initiatives/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ssemap-initiatives-' in response["Content-Disposition"]
    assert "etalab.gouv.fr/licence-ouverte" in response["Link"]
    text = body(response).decode("utf-8")
    header = text[1:].split("\r\n", 1)[0]
    assert header == ";".join(EXPORT_COLUMNS)


def test_csv_row_holds_public_fields_and_multi_values_by_slug(client, world):
    row = next(r for r in csv_rows(client) if r["slug"] == world.repair.slug)
    assert row["name"] == "Atelier de réparation"
    assert row["themes"] == "alimentation|habitat-energie"
    assert row["practices"] == "mutualisation"
    assert row["levers"] == "locaux"
    assert row["legal_form"] == "association"
    assert row["low_tech"] == "1"
    assert row["commune"] == "Grandeville"
    assert row["epci"] == "Métropole test"
    assert row["region"] == "Rhône-Alpes test"
    assert row["url"] == f"http://testserver/initiatives/{world.repair.slug}/"
    assert float(row["latitude"]) == pytest.approx(45.76)


def test_csv_neutralises_spreadsheet_formulas_but_keeps_numbers(client, world):
    InitiativeFactory(
        name='=HYPERLINK("http://evil")',
        summary="+33 1 23",
        organisation="@SUM(A1)",
        description="-2+3",
        commune=world.medium,
        latitude=-21.1,
        longitude=55.5,
    )
    row = next(r for r in csv_rows(client) if r["summary"].endswith("+33 1 23"))
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+33 1 23"
    assert row["organisation"] == "'@SUM(A1)"
    assert row["description"] == "'-2+3"
    assert row["latitude"] == "-21.1"


def test_exports_stream(client, world):
    for path in ("/initiatives/export.csv", "/initiatives/export.geojson"):
        response = client.get(path)
        assert isinstance(response, StreamingHttpResponse) or response.streaming


def test_geojson_export_states_its_licence_and_is_valid(client, world):
    collection = exported_geojson(client, "theme=alimentation")
    assert collection["type"] == "FeatureCollection"
    assert "Licence Ouverte" in collection["licence"]
    feature = next(
        f for f in collection["features"] if f["properties"]["slug"] == world.repair.slug
    )
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.84, 45.76]}
    assert feature["properties"]["themes"] == ["alimentation", "habitat-energie"]


def test_map_data_carries_only_what_markers_and_popups_need(client, world):
    collection = json.loads(body(client.get("/api/initiatives.geojson")))
    feature = next(f for f in collection["features"] if f["id"] == world.bikes.slug)
    assert feature["properties"]["name"] == "Vélos partagés"
    assert feature["properties"]["url"] == f"/initiatives/{world.bikes.slug}/"
    assert feature["properties"]["sample"] is True
    assert "summary" not in feature["properties"]
    assert "description" not in feature["properties"]


def test_map_data_urls_follow_the_language(client, world):
    collection = json.loads(body(client.get("/en/api/initiatives.geojson")))
    assert all(
        f["properties"]["url"].startswith("/en/initiatives/") for f in collection["features"]
    )
