"""Formats out: data·inclusion, GoGoCarto, schema.org JSON-LD, the DCAT catalogue, and the
licence each record and each selection is published under."""

import csv
import io
import json
import re

import pytest
from data_inclusion.schema.v1 import Structure
from django.core.management import call_command
from pyld import jsonld

from initiatives.licences import Licence
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def offline_loader(url, options=None):
    """The schema.org context without the network: every term in its vocabulary."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA}},
        }
    raise jsonld.JsonLdError("offline", "loading document failed", {"url": url})


jsonld.set_document_loader(offline_loader)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def ld_scripts(html):
    return [
        json.loads(text)
        for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def values(node, term):
    return [v.get("@value", v.get("@id")) for v in node.get(term, [])]


@pytest.fixture
def demo(real_territories, reference_data):
    call_command("load_demo", samples=60, verbosity=0)


def test_every_demo_record_validates_as_a_data_inclusion_structure(demo, client):
    response = client.get("/api/v1/data-inclusion/structures")

    assert response.status_code == 200
    structures = json.loads(body(response))
    assert len(structures) == Initiative.objects.published().count() > 60
    for structure in structures:
        Structure.model_validate(structure, context={"ignore_warnings": False})
    assert response["Link"] == (
        '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'
    )


def test_the_data_inclusion_export_leaves_out_share_alike_records(world, client):
    world.repair.licence = Licence.ODBL_1
    world.repair.save()

    structures = json.loads(body(client.get("/api/v1/data-inclusion/structures")))

    ids = {s["id"] for s in structures}
    assert f"ssemap--{world.repair.slug}" not in ids
    assert f"ssemap--{world.bikes.slug}" in ids


def test_formats_take_the_directory_filters_and_refuse_bad_ones_with_reasons(world, client):
    response = client.get("/api/v1/gogocarto/elements.json", {"theme": world.mobility.slug})
    names = sorted(e["name"] for e in json.loads(body(response))["data"])
    assert names == sorted([world.bikes.name, world.carshare.name])

    bad = client.get(
        "/api/v1/data-inclusion/structures", {"theme": "nope"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert bad.status_code == 400
    assert "theme" in bad.json()["errors"]


def test_gogocarto_elements_carry_position_address_and_categories_of_the_taxonomy(world, client):
    data = json.loads(body(client.get("/api/v1/gogocarto/elements.json")))
    taxonomy = client.get("/api/v1/gogocarto/taxonomy.json").json()

    assert data["licence"] == Licence.ETALAB_2.label
    repair = next(e for e in data["data"] if e["id"] == world.repair.slug)
    assert repair["geo"] == {"latitude": world.repair.latitude, "longitude": world.repair.longitude}
    assert repair["address"]["addressLocality"] == world.repair.commune.name
    options = {option["id"] for option in taxonomy[0]["options"]}
    assert {c["id"] for c in repair["categoriesFull"]} <= options
    assert world.pending.slug not in {e["id"] for e in data["data"]}  # published data only


def test_a_selection_holding_odbl_records_is_published_under_the_odbl(world, client):
    world.grocery.licence = Licence.ODBL_1
    world.grocery.save()

    gogo = json.loads(body(client.get("/api/v1/gogocarto/elements.json")))
    geojson = json.loads(body(client.get("/initiatives/export.geojson")))
    export = client.get("/initiatives/export.csv")
    rows = list(csv.DictReader(io.StringIO(body(export).decode("utf-8-sig")), delimiter=";"))

    assert gogo["licence"] == geojson["licence"] == Licence.ODBL_1.label
    assert "odbl" in export["Link"]
    licences = {row["slug"]: row["licence"] for row in rows}
    assert licences[world.grocery.slug] == "odbl-1.0"
    assert licences[world.repair.slug] == "etalab-2.0"
    # Without the ODbL record, the selection is under the Licence Ouverte again.
    other = client.get("/initiatives/export.geojson", {"theme": world.mobility.slug})
    assert json.loads(body(other))["licence"] == Licence.ETALAB_2.label


def test_formats_answer_304_while_the_public_data_is_unchanged(world, client):
    first = client.get("/api/v1/data-inclusion/structures")
    again = client.get("/api/v1/data-inclusion/structures", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_an_initiative_page_describes_it_in_schema_org_json_ld(world, client):
    world.repair.address = "3 rue des Lilas"
    world.repair.website = "https://repair.example.org"
    world.repair.save()

    html = client.get(world.repair.get_absolute_url()).content.decode()
    [document] = ld_scripts(html)
    [node] = jsonld.expand(document)

    assert SCHEMA + "Organization" in node["@type"] and SCHEMA + "Place" in node["@type"]
    assert values(node, SCHEMA + "name") == [world.repair.name]
    [address] = node[SCHEMA + "address"]
    assert values(address, SCHEMA + "streetAddress") == ["3 rue des Lilas"]
    assert values(address, SCHEMA + "addressLocality") == [world.repair.commune.name]
    [geo] = node[SCHEMA + "geo"]
    assert values(geo, SCHEMA + "latitude") == [world.repair.latitude]
    [area] = node[SCHEMA + "areaServed"]
    assert values(area, SCHEMA + "identifier") == [world.repair.commune.code]
    themes = {t.name for t in world.repair.themes.all()}
    assert set(values(node, SCHEMA + "knowsAbout")) == themes
    assert "Licence" in html and 'rel="license"' in html  # the licence shown on the page


def test_the_provenance_of_an_imported_record_is_shown_on_its_page(world, client):
    world.repair.source_name = "Transiscope"
    world.repair.source_identifier = "TsQ1"
    world.repair.licence = Licence.ODBL_1
    world.repair.save()

    html = client.get(world.repair.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Transiscope" in html and "TsQ1" in html
    assert "Open Database License (ODbL) 1.0" in html


def test_the_about_page_describes_the_dataset_in_json_ld(world, client):
    [document] = ld_scripts(client.get("/about/").content.decode())
    [node] = jsonld.expand(document)

    assert node["@type"] == [SCHEMA + "Dataset"]
    assert values(node, SCHEMA + "license")
    formats = {values(d, SCHEMA + "encodingFormat")[0] for d in node[SCHEMA + "distribution"]}
    assert {"text/csv", "application/geo+json", "application/json"} <= formats


def test_the_dcat_catalogue_lists_the_datasets_with_licence_date_and_coverage(world, client):
    response = client.get("/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")

    graph = jsonld.expand(json.loads(response.content))
    [catalog] = [n for n in graph if DCAT + "Catalog" in n["@type"]]
    datasets = catalog[DCAT + "dataset"]
    assert len(datasets) == 2
    media = set()
    for dataset in datasets:
        assert values(dataset, DCT + "license")
        assert values(dataset, DCT + "modified")
        [spatial] = dataset[DCT + "spatial"]
        assert spatial["@id"].endswith("/country/FRA")
        for distribution in dataset[DCAT + "distribution"]:
            media.update(values(distribution, DCAT + "mediaType"))
            assert values(distribution, DCAT + "downloadURL")[0].startswith("http://testserver/")
    assert media == {"text/csv", "application/geo+json", "application/json"}
    urls = json.dumps(catalog)
    assert "/api/v1/data-inclusion/structures" in urls and "/initiatives/export.csv" in urls
