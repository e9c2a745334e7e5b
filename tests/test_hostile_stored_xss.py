"""Stored hostile text stays inert: on every page, in the map payload and in the exports."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from curation.moderation import transition
from initiatives.models import Initiative, Status
from tests.factories import CommuneFactory, InitiativeFactory, LeverFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
BREAKOUT = "\"'><svg onload=alert(2)>"
HOSTILE = f"{SCRIPT}{IMG}{BREAKOUT}"
TEXT_FIELDS = ["name", "summary", "description", "organisation", "address"]
FORMULAS = {
    "name": '=HYPERLINK("http://127.0.0.1/x","click")',
    "summary": "+cmd|' /C calc'!A0",
    "description": "-2+3+cmd|' /C calc'!A0",
    "organisation": "@SUM(1+1)*cmd|' /C calc'!A0",
    "address": "\t=1+1",
    "source_reference": "\r=1+1",
}


class ActiveContent(HTMLParser):
    """What a browser would run: script bodies, inline handlers, script-bearing elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_script = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        # The pages draw their own charts and maps in SVG (intelligence/charts.py): an SVG is
        # inert unless it holds handlers or links (above), scripts (below) or embedded HTML.
        if tag in {"foreignobject", "iframe", "object", "embed"}:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self.in_script = dict(attrs).get("type", "text/javascript")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is None:
            return
        if self.in_script in ("application/json", "application/ld+json"):  # data, not code
            if "<" in data:
                self.problems.append(f"unescaped < in a JSON script: {data[:80]!r}")
        elif "alert(" in data:
            self.problems.append(f"script body with data: {data[:80]!r}")


def assert_inert(html, where):
    assert SCRIPT not in html, where
    assert IMG not in html, where
    assert "<svg onload" not in html, where
    parser = ActiveContent()
    parser.feed(html)
    assert not parser.problems, (where, parser.problems)


@pytest.fixture
def places():
    theme = ThemeFactory(slug="theme-xss", name_fr=HOSTILE[:150], name_en=HOSTILE[:150])
    lever = LeverFactory(slug="levier-xss", name_fr=HOSTILE[:150], name_en=HOSTILE[:150])
    commune = CommuneFactory(slug="ville-xss", name=HOSTILE[:100])
    return {"theme": theme, "lever": lever, "commune": commune}


@pytest.fixture
def hostile(places):
    """Entered raw, as a curator or an import could: every text field carries markup."""
    return InitiativeFactory(
        slug="initiative-xss",
        commune=places["commune"],
        themes=[places["theme"]],
        levers=[places["lever"]],
        website='https://example.org/?a="><script>alert(3)</script>',
        **dict.fromkeys(TEXT_FIELDS, HOSTILE[:150]),
    )


def public_urls(initiative, places):
    urls = [
        "/",
        "/initiatives/",
        "/initiatives/?q=alert",
        "/initiatives/?theme=theme-xss",
        initiative.get_absolute_url(),
        "/territories/",
        places["commune"].get_absolute_url(),
        places["commune"].department.get_absolute_url(),
        "/levers/",
        places["lever"].get_absolute_url(),
    ]
    return urls + ["/en" + url for url in urls]


def test_stored_markup_is_inert_on_every_page(client, hostile, places):
    for url in public_urls(hostile, places):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_stored_markup_is_shown_as_text_on_the_initiative_page(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html


def test_a_javascript_url_is_refused_as_a_website(hostile):
    # Admin forms, the public form and the CSV import all validate the model's fields.
    hostile.website = "javascript:alert(3)"
    with pytest.raises(ValidationError) as error:
        hostile.full_clean()
    assert "website" in error.value.message_dict


def test_the_map_payload_carries_plain_text(client, hostile):
    response = client.get("/api/initiatives.geojson")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    features = response.json()["features"]
    names = [f["properties"].get("name") for f in features]
    # Plain text, exactly as stored: the map script puts it in with textContent.
    assert HOSTILE[:150] in names


def test_the_geojson_export_carries_plain_text(client, hostile):
    response = client.get("/initiatives/export.geojson")
    assert response.status_code == 200
    assert not response.headers["Content-Type"].startswith("text/html")
    collection = json.loads(b"".join(response.streaming_content))
    properties = collection["features"][0]["properties"]
    for field in TEXT_FIELDS:
        assert properties[field] == HOSTILE[:150], field


def csv_rows(client, query=""):
    response = client.get("/initiatives/export.csv" + query)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_spreadsheet_formulas_in_the_csv_export_are_neutralised(client):
    InitiativeFactory(slug="formules", **FORMULAS)
    [row] = csv_rows(client)
    for field, formula in FORMULAS.items():
        assert row[field] == "'" + formula, field
    # Every text cell of the export: none starts a formula.
    for column, cell in row.items():
        if column not in {"latitude", "longitude", "year_started"}:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), column


def test_negative_coordinates_stay_numbers_in_the_csv(client):
    commune = CommuneFactory(latitude=-21.1, longitude=55.5)  # La Réunion
    InitiativeFactory(commune=commune, latitude=-21.1151, longitude=55.5364)
    [row] = csv_rows(client)
    assert float(row["latitude"]) == pytest.approx(-21.1151)


@pytest.fixture
def submission_form_data(places):
    cache.clear()  # the per-address rate limit lives in the cache
    commune = places["commune"]
    safe_commune = CommuneFactory(slug="ville-sure", name="Villesure")
    return {
        "name": f"{SCRIPT} Jardin",
        "summary": f"{IMG} Un jardin partagé",
        "description": f"{BREAKOUT}\n<b>gras</b> et <a href='javascript:alert(4)'>lien</a>",
        "organisation": f"{SCRIPT}Asso",
        "address": f"{IMG}1 rue de la Paix",
        "themes": [places["theme"].pk],
        "commune": str(safe_commune),
        "commune_code": safe_commune.code,
        "website": "https://example.org/",
        "contact_email": "contact@example.org",
        "submitter_name": f"{SCRIPT}Camille",
        "submitter_email": "camille@example.org",
        "consent": "on",
        "_unused_commune": commune.pk,
    }


def test_a_submitted_script_is_stored_without_markup_and_inert_once_published(
    client, submission_form_data, places
):
    response = client.post("/initiatives/submit/", submission_form_data)
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get(status=Status.PENDING)
    for field in ["name", "summary", "description", "organisation", "address", "submitter_name"]:
        value = getattr(initiative, field)
        assert not re.search(r"<[a-zA-Z/!?]", value), (field, value)
    assert initiative.name.endswith("Jardin")

    transition(initiative, Status.PUBLISHED, by=None)
    for url in public_urls(initiative, places):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_a_form_that_fails_validation_echoes_the_script_as_text(client, submission_form_data):
    data = {**submission_form_data, "website": "javascript:alert(5)", "consent": ""}
    response = client.post("/initiatives/submit/", data)
    assert response.status_code == 200
    assert_inert(response.content.decode(), "submit form with errors")
    assert not Initiative.objects.exists()
