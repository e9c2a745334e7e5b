"""Opening hours in OpenStreetMap syntax: refused with a reason on the forms when unreadable,
shown as the coming week in French and English, exported as given, and an "open now" filter
that the one FilterSet applies to the list, counts, map data and exports alike."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from initiatives import hours
from initiatives.caching import filter_key
from initiatives.filters import InitiativeFilterSet
from initiatives.models import Initiative
from tests.factories import CommuneFactory, InitiativeFactory, RegionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def open_this_hour():
    """Hours that make a place open now (Paris time), whenever the test runs."""
    now = timezone.now().astimezone(ZoneInfo("Europe/Paris"))
    # Until two hours on (at most midnight): the hour may turn while the test runs.
    return f"{WEEKDAYS[now.weekday()]} {now.hour:02d}:00-{min(now.hour + 2, 24):02d}:00"


def closed_today():
    now = timezone.now().astimezone(ZoneInfo("Europe/Paris"))
    return f"{WEEKDAYS[(now.weekday() + 3) % 7]} 10:00-12:00"


# -- the syntax --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-18:00; PH off", "24/7", "Tu,Th 14:00-17:30"],
)
def test_valid_hours_pass(text):
    hours.validate_opening_hours(text)


@pytest.mark.parametrize("text", ["Mo-Fr 25:00-99", "lundi 9h-12h", "Mo-Fr 09:00-18:00\n"])
def test_unreadable_hours_are_refused_saying_where(text):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        hours.validate_opening_hours(text)
    (message,) = refused.value.messages
    assert "not in OpenStreetMap syntax" in message or "on one line" in message


def test_open_at_reads_the_place_in_its_own_time_zone():
    monday_10_paris = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Paris
    assert hours.is_open("Mo 10:00-11:00", "84", monday_10_paris)
    assert not hours.is_open("Mo 10:00-11:00", "04", monday_10_paris)  # 13:00 in Réunion
    assert hours.is_open("Mo 13:00-14:00", "04", monday_10_paris)
    assert not hours.is_open("not hours", "84", monday_10_paris)  # old data: never an error


def test_open_now_is_asked_at_the_start_of_the_quarter_hour():
    moment = datetime(2026, 11, 30, 9, 52, 31, tzinfo=ZoneInfo("UTC"))
    assert hours.current_slot(moment) == datetime(2026, 11, 30, 9, 45, tzinfo=ZoneInfo("UTC"))


def test_the_week_lists_each_day_with_holidays_closed():
    week = hours.week(
        'Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-18:00; Su off "sur rendez-vous"; PH off',
        today=date(2026, 12, 21),
    )
    assert [d["date"].day for d in week] == [21, 22, 23, 24, 25, 26, 27]
    assert [(s["start"], s["end"]) for s in week[0]["spans"]] == [
        ("09:00", "12:00"),
        ("14:00", "18:00"),
    ]
    assert week[4]["spans"] == [] and not week[4]["open"]  # Christmas, a public holiday
    assert week[6]["spans"][0]["comment"] == "sur rendez-vous"


# -- the forms ---------------------------------------------------------------------------------


@pytest.fixture
def entry():
    return InitiativeFactory(
        name="Épicerie des Pentes",
        opening_hours="Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-18:00",
        themes=[ThemeFactory()],
        commune=CommuneFactory(),
    )


def test_the_correction_form_refuses_unreadable_hours_with_a_reason(client, entry):
    url = f"/en/initiatives/{entry.slug}/correct/"
    form = client.get(url).context["form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() not in (None, "", False)}
    data["themes"] = [str(t) for t in data["themes"]]
    response = client.post(url, data | {"opening_hours": "Mo-Fr 25:00-99"})
    assert response.status_code == 200
    (message,) = response.context["form"].errors["opening_hours"]
    assert "OpenStreetMap syntax" in message and "25:00-99" in message


def test_the_submission_form_offers_the_field(client):
    page = client.get("/initiatives/submit/").content.decode()
    assert 'name="opening_hours"' in page


# -- the page, the exports ---------------------------------------------------------------------


def test_the_page_shows_the_week_in_french_and_in_english(client, entry):
    french = client.get(entry.get_absolute_url()).content.decode()
    english = client.get(f"/en{entry.get_absolute_url()}").content.decode()
    assert "Horaires d’ouverture" in french and "Opening hours" in english
    today = timezone.localdate()
    assert today.strftime("%-d") in french
    assert any(day in french for day in ("lundi", "mardi", "mercredi", "samedi", "dimanche"))
    assert any(day in english for day in ("Monday", "Tuesday", "Saturday", "Sunday"))
    assert "09:00–12:00" in french or "10:00–18:00" in french


def test_exports_carry_the_hours_as_given(client, entry):
    response = client.get("/initiatives/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text), delimiter=";")
    assert row["opening_hours"] == "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-18:00"
    assert "contact_email" not in row
    assert row["confirmed_at"].startswith(str(entry.confirmed_at.year))


# -- "open now" in the directory ---------------------------------------------------------------


@pytest.fixture
def places():
    theme = ThemeFactory(slug="alimentation")
    commune = CommuneFactory()
    make = lambda name, text: InitiativeFactory(  # noqa: E731
        name=name, opening_hours=text, themes=[theme], commune=commune
    )
    return {
        "open": make("Ouvert maintenant", open_this_hour()),
        "always": make("Toujours ouvert", "24/7"),
        "closed": make("Fermé aujourd’hui", closed_today()),
        "unknown": make("Sans horaires", ""),
    }


def names(response):
    return {i.name for i in response.context["page_obj"].object_list}


def test_open_now_keeps_only_the_places_open_now(client, places):
    response = client.get("/initiatives/?open_now=1")
    assert response.status_code == 200
    assert names(response) == {"Ouvert maintenant", "Toujours ouvert"}
    assert response.context["page_obj"].paginator.count == 2


def test_open_now_has_its_facet_count_and_combines_with_the_others(client, places):
    response = client.get("/initiatives/?theme=alimentation")
    (facet,) = [f for f in response.context["directory"].facets() if f.name == "open_now"]
    assert facet.options[0].count == 2
    assert "Open now" in client.get("/en/initiatives/?open_now=1").content.decode()


def test_open_now_applies_to_map_data_and_exports(client, places):
    features = client.get("/api/initiatives.geojson?open_now=1&bbox=-5,41,10,52&zoom=12").json()
    assert {f["properties"]["name"] for f in features["features"]} == {
        "Ouvert maintenant",
        "Toujours ouvert",
    }
    text = b"".join(client.get("/initiatives/export.csv?open_now=1").streaming_content)
    assert text.count(b"\n") == 3  # the header and two rows


def test_open_now_answers_are_keyed_on_the_quarter_hour(client, places):
    """The cached answer is not reused once the quarter hour has changed (a new key)."""
    first = client.get("/api/initiatives.geojson?open_now=1&bbox=-5,41,10,52&zoom=12")
    again = client.get(
        "/api/initiatives.geojson?open_now=1&bbox=-5,41,10,52&zoom=12",
        headers={"if-none-match": first["ETag"]},
    )
    assert again.status_code == 304  # within the quarter hour, the same answer
    filterset = InitiativeFilterSet({"open_now": "1"})
    assert filterset.is_valid()
    assert str(hours.current_slot()) in filter_key(filterset)  # the slot is in the key
    unticked = InitiativeFilterSet({})
    assert unticked.is_valid()
    assert '"open_now":null' in filter_key(unticked)  # no clock in the other views' keys


def test_a_bad_open_now_value_is_simply_unticked(client, places):
    assert client.get("/initiatives/?open_now=").status_code == 200
    assert Initiative.objects.count() == 4


def test_open_now_reads_each_place_in_its_own_time_zone(client):
    """The same hours text: open now in Réunion (Indian/Reunion), not in Lyon (Paris time)."""
    reunion_now = timezone.now().astimezone(ZoneInfo("Indian/Reunion"))
    text = (
        f"{WEEKDAYS[reunion_now.weekday()]} {reunion_now.hour:02d}:00-{reunion_now.hour + 1:02d}:00"
    )
    theme = ThemeFactory()
    reunion = RegionFactory(code="04", name="La Réunion", slug="la-reunion")
    in_reunion = CommuneFactory(epci__department__region=reunion, latitude=-21.1, longitude=55.5)
    InitiativeFactory(name="À Saint-Denis", opening_hours=text, themes=[theme], commune=in_reunion)
    InitiativeFactory(name="À Lyon", opening_hours=text, themes=[theme], commune=CommuneFactory())

    response = client.get("/initiatives/?open_now=1")
    assert names(response) == {"À Saint-Denis"}
