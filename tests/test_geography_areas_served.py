"""Areas served: an initiative may serve territories beyond its address (issue 12).

The mobile grocery of Moyenneville (in Brittany) serves the Métropole test: it is shown on its
page and in the exports, and the directory's territory filter includes it on request — for the
metropolis, for a commune of it, for its department and region — in the list, the facet
count, the map and the exports alike.
"""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from contributions.corrections import accept
from curation.merge import merge
from initiatives.models import Correction, Initiative
from territories.forms import MAX_AREAS
from tests.factories import CommuneFactory, InitiativeFactory
from tests.test_curation_admin import CHANGELIST, change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def rover(world):
    """A published initiative of Moyenneville serving the Métropole test."""
    initiative = InitiativeFactory(
        name="Épicerie mobile", commune=world.medium, themes=[world.food]
    )
    initiative.areas_served.set([world.metropolis])
    return initiative


def names(client, **params):
    response = client.get("/initiatives/", params)
    assert response.status_code == 200
    return {i.name for i in response.context["page_obj"].object_list}


def test_the_territory_filter_includes_those_serving_it_only_when_asked(client, world, rover):
    assert rover.name not in names(client, territory="metropole-test")
    assert rover.name in names(client, territory="metropole-test", serving="1")
    assert world.repair.name in names(client, territory="metropole-test", serving="1")


@pytest.mark.parametrize(
    "territory, serves",
    [
        ("metropole-test", True),  # the area itself
        ("grandeville", True),  # a commune inside the area
        ("rhone-test", True),  # the department the area lies in
        ("rhone-alpes-test", True),  # its region
        ("cc-rurale-test", False),  # another intercommunality of the department
        ("hameau", False),  # a commune of that other one
    ],
)
def test_serving_a_territory_means_being_it_inside_it_or_containing_it(
    client, world, rover, territory, serves
):
    assert (rover.name in names(client, territory=territory, serving="1")) is serves


def test_a_department_served_serves_each_of_its_communes(client, world):
    initiative = InitiativeFactory(name="Tournée départementale", commune=world.medium)
    initiative.areas_served.set([world.department])
    assert initiative.name in names(client, territory="hameau", serving="1")
    assert initiative.name in names(client, territory="cc-rurale-test", serving="1")


def test_the_option_shows_how_many_it_adds_and_counts_with_the_other_filters(client, world, rover):
    response = client.get("/en/initiatives/", {"territory": "metropole-test"})
    option = response.context["directory"].serving_option()
    assert (option.count, option.selected) == (1, False)
    html = response.content.decode()
    assert 'name="serving"' in html and "Include the initiatives that serve this territory" in html
    # The theme facet counts the serving initiative once the option is ticked.
    ticked = client.get("/en/initiatives/", {"territory": "metropole-test", "serving": "1"})
    food = next(f for f in ticked.context["directory"].facets() if f.name == "theme").options
    assert {o.value: o.count for o in food}["alimentation"] == 2  # repair and the rover
    assert ticked.context["page_obj"].paginator.count == 3
    # With a filter it does not match, the option adds nothing.
    other = client.get("/en/initiatives/", {"territory": "metropole-test", "theme": "mobilite"})
    assert other.context["directory"].serving_option().count == 0


def test_the_option_is_kept_in_the_url_and_removable(client, world, rover):
    response = client.get("/en/initiatives/", {"territory": "metropole-test", "serving": "1"})
    directory = response.context["directory"]
    assert "serving=1" in directory.filter_query()
    chip = next(c for c in directory.chips() if "serve" in c.label)
    assert "serving" not in chip.remove_url and "territory=metropole-test" in chip.remove_url


def test_without_a_territory_the_option_is_not_offered_and_changes_nothing(client, world, rover):
    response = client.get("/initiatives/", {"serving": "1"})
    assert response.context["directory"].serving_option() is None
    assert 'name="serving"' not in response.content.decode()
    assert response.context["page_obj"].paginator.count == 5


def test_map_data_and_exports_follow_the_option(client, world, rover):
    base = {"territory": "metropole-test"}
    for url, extra in (
        ("/api/initiatives.geojson", {"zoom": 11}),
        ("/initiatives/export.geojson", {}),
    ):
        without = features(client.get(url, {**base, **extra}))
        with_serving = features(client.get(url, {**base, **extra, "serving": "1"}))
        assert rover.slug not in slugs(without)
        assert rover.slug in slugs(with_serving)
    rows = csv_rows(client.get("/initiatives/export.csv", {**base, "serving": "1"}))
    assert rows[rover.slug]["areas_served"] == "metropole-test"
    assert rows[world.repair.slug]["areas_served"] == ""


def features(response):
    assert response.status_code == 200
    body = response.getvalue() if response.streaming else response.content
    return json.loads(body)["features"]


def slugs(features):
    return {f.get("id") or f["properties"]["slug"] for f in features}


def csv_rows(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {
        row["slug"]: row for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";")
    }


def test_the_geojson_export_lists_the_areas_served(client, world, rover):
    exported = features(client.get("/initiatives/export.geojson"))
    served = {f["properties"]["slug"]: f["properties"]["areas_served"] for f in exported}
    assert served[rover.slug] == ["metropole-test"]


def test_the_page_shows_the_areas_served(client, world, rover):
    html = client.get(rover.get_absolute_url()).content.decode()
    assert "Zones desservies" in html or "Areas served" in html
    assert 'href="/territories/metropole-test/"' in html
    assert "Zones desservies" not in client.get(world.repair.get_absolute_url()).content.decode()


# -- entered by the public ---------------------------------------------------------------------


@pytest.fixture
def submission(world):
    return {
        "name": "Tournée solidaire",
        "summary": "Une épicerie qui roule.",
        "themes": [world.food.pk],
        "commune": "grandeville",
        "submitter_name": "Camille",
        "submitter_email": "camille@example.org",
        "consent": "on",
    }


def test_a_submission_stores_the_areas_chosen_and_typed(client, world, submission):
    # A chosen suggestion sends its slug; typed text may name several, separated by ";".
    submission["areas_served"] = ["metropole-test", "Hameau; Rhône test"]
    response = client.post("/initiatives/submit/", submission)
    assert response.status_code == 302
    initiative = Initiative.objects.get(name="Tournée solidaire")
    assert {t.slug for t in initiative.areas_served.all()} == {
        "metropole-test",
        "hameau",
        "rhone-test",
    }


def test_an_unknown_area_is_a_form_error_that_keeps_the_chosen_ones(client, world, submission):
    submission["areas_served"] = ["metropole-test", "Atlantide"]
    response = client.post("/en/initiatives/submit/", submission)
    assert response.status_code == 200
    form = response.context["form"]
    assert "No territory found for “Atlantide”" in form.errors["areas_served"][0]
    assert [t.slug for t in form.chosen_areas()] == ["metropole-test"]
    html = response.content.decode()
    assert 'value="metropole-test" id="area-metropole-test" checked' in html
    assert 'value="Atlantide"' in html
    assert not Initiative.objects.filter(name="Tournée solidaire").exists()


@pytest.mark.parametrize("value", ["\x00", "a" * 5000, "; ; ;"])
def test_hostile_area_values_never_fail(client, world, submission, value):
    submission["areas_served"] = [value]
    response = client.post("/initiatives/submit/", submission)
    assert response.status_code in (200, 302, 400)


def test_too_many_areas_are_refused(client, world, submission):
    communes = [CommuneFactory(epci=world.metropolis) for _ in range(MAX_AREAS + 1)]
    submission["areas_served"] = [c.slug for c in communes]
    response = client.post("/en/initiatives/submit/", submission)
    assert response.status_code == 200
    assert "at most 20" in response.context["form"].errors["areas_served"][0]


def test_the_form_offers_the_field_with_territory_suggestions(client, world):
    html = client.get("/initiatives/submit/").content.decode()
    assert "data-areas-field" in html and 'data-suggest-url="/api/territories/"' in html
    assert "js/areas-field.js" in html


def test_a_correction_proposes_areas_and_accepting_applies_them(client, world, rover, admin_user):
    response = client.get(f"/initiatives/{rover.slug}/correct/")
    assert 'value="metropole-test" id="area-metropole-test" checked' in response.content.decode()
    form = response.context["form"]
    data = {"seen": form["seen"].value(), "areas_served": ["metropole-test", "hameau"]}
    for name in ("name", "summary", "organisation", "commune", "latitude", "longitude"):
        data[name] = form[name].value()
    data["themes"] = [world.food.pk]
    assert client.post(f"/initiatives/{rover.slug}/correct/", data).status_code == 302
    correction = Correction.objects.get(initiative=rover)
    assert correction.proposed == {"areas_served": ["hameau", "metropole-test"]}
    accept(correction, by=admin_user)
    assert {t.slug for t in rover.areas_served.all()} == {"hameau", "metropole-test"}


def test_curators_enter_areas_in_the_admin_with_suggestions(admin_client, world, rover):
    html = admin_client.get(f"/admin/initiatives/initiative/{rover.pk}/change/").content.decode()
    assert 'name="areas_served"' in html
    assert "admin-autocomplete" in html


def test_a_merge_keeps_the_areas_of_both(world, rover, admin_user):
    duplicate = InitiativeFactory(name="Épicerie mobile (doublon)", commune=world.medium)
    duplicate.areas_served.set([world.village])
    merge(rover, duplicate, by=admin_user)
    assert {t.slug for t in rover.areas_served.all()} == {"metropole-test", "hameau"}


def test_a_card_says_when_it_is_listed_for_serving_the_territory(client, world, rover):
    html = client.get("/en/initiatives/", {"territory": "metropole-test", "serving": "1"})
    cards = html.content.decode().split('class="card"')[1:]
    said = {
        card.split("</a>")[0].rsplit(">", 1)[1]: "serves this territory" in card for card in cards
    }
    assert said == {rover.name: True, world.repair.name: False, world.bikes.name: False}


def test_a_territory_page_links_to_the_initiatives_that_serve_it(client, world, rover):
    html = client.get("/en/territories/metropole-test/").content.decode()
    assert "1 more initiative, located elsewhere, serves this territory" in html
    assert "/en/initiatives/?territory=metropole-test&amp;serving=1" in html or (
        "/initiatives/?territory=metropole-test&amp;serving=1" in html
    )
    # The department around it too (the area lies inside it); not a territory it misses.
    assert "serves this territory" in client.get("/en/territories/rhone-test/").content.decode()
    assert "serves this territory" not in (
        client.get("/en/territories/cc-rurale-test/").content.decode()
    )


def test_the_territory_pages_link_follows_a_new_area_at_once(client, world, rover):
    assert "serves this territory" not in client.get("/en/territories/hameau/").content.decode()
    rover.areas_served.add(world.village)
    assert "serves this territory" in client.get("/en/territories/hameau/").content.decode()


def test_a_curator_saves_areas_in_the_admin_and_finds_them_by_name(
    client, world, rover, django_user_model
):
    call_command("create_curator", "alice", email="alice@example.org", password="Curat0r-pass-2026")
    client.force_login(django_user_model.objects.get(username="alice"))
    data = change_form_data(client, rover)
    assert data["areas_served"] == [world.metropolis.pk]
    data["areas_served"] = [world.metropolis.pk, world.village.pk]
    response = client.post(f"{CHANGELIST}{rover.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert {t.slug for t in rover.areas_served.all()} == {"metropole-test", "hameau"}
    # The autocomplete widget asks the territories' admin, which curators may read.
    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "Hameau",
            "app_label": "initiatives",
            "model_name": "initiative",
            "field_name": "areas_served",
        },
    )
    assert found.status_code == 200
    assert [r["text"] for r in found.json()["results"]] == ["Hameau (69)"]
