"""A citizen submits an initiative; a curator publishes it; it appears on the public map."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from initiatives.models import Initiative, Status
from tests.browser.conftest import shot, watched
from tests.browser.test_directory import tab_to
from tests.factories import CommuneFactory, DepartmentFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)

CURATOR_PASSWORD = "curator-Pa55word-for-tests"


@pytest.fixture
def data(site):
    cache.clear()  # the submission rate limit lives in the cache
    ThemeFactory(slug="mobilite", name_fr="Mobilité", name_en="Mobility")
    finistere = DepartmentFactory(code="29", name="Finistère")
    morbihan = DepartmentFactory(code="56", name="Morbihan")
    # Two homonyms: the autocomplete tells them apart by department.
    plouhinec = CommuneFactory(
        name="Plouhinec",
        slug="plouhinec-29",
        code="29197",
        department=finistere,
        region=finistere.region,
        latitude=48.016,
        longitude=-4.49,
        population=4000,
    )
    CommuneFactory(
        name="Plouhinec",
        slug="plouhinec-56",
        code="56169",
        department=morbihan,
        region=morbihan.region,
        latitude=47.7,
        longitude=-3.25,
        population=5500,
    )
    return {"commune": plouhinec}


def choose_commune_by_keyboard(page, typed, option_text):
    commune = page.locator("#id_commune")
    commune.press_sequentially(typed, delay=30)
    listbox = page.locator("#commune-listbox")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    for index in range(options.count()):
        page.keyboard.press("ArrowDown")
        if option_text in options.nth(index).inner_text():
            break
    expect(commune).to_have_attribute("aria-activedescendant", re.compile("commune-option-"))
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()


def test_submit_then_publish_then_find_it_on_the_map(site, data, page, browser, problems):
    page.goto(site + "/initiatives/submit/")
    page.locator("#id_name").fill("Vélo-école du Cap")
    choose_commune_by_keyboard(page, "Plouh", "Finistère")
    expect(page.locator("#id_commune")).to_have_value("Plouhinec (29)")
    expect(page.locator("#id_commune_code")).to_have_value("29197")

    # The pin starts at the commune; the person drags it to the exact spot.
    latitude = page.locator("#id_latitude")
    expect(latitude).to_have_value("48.016")
    pin = page.locator("#submit-map .leaflet-marker-draggable")
    expect(pin).to_be_visible()
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.up()
    expect(latitude).not_to_have_value("48.016")
    dragged_latitude = float(latitude.input_value())
    assert 47.9 < dragged_latitude < 48.016
    shot(page, "submit-pin-dragged")

    page.locator("#id_summary").fill("Apprendre le vélo à tout âge, au bout du monde.")
    page.get_by_label("Mobilité").check()
    page.locator("#id_submitter_name").fill("Camille Privée")
    page.locator("#id_submitter_email").fill("camille.privee@example.org")
    page.locator("#id_consent").check()
    page.locator("#submit-button").click()

    expect(page.locator("#submit-done")).to_be_visible()
    shot(page, "submit-done")
    initiative = Initiative.objects.get(name="Vélo-école du Cap")
    assert initiative.status == Status.PENDING
    assert initiative.commune == data["commune"]
    assert initiative.latitude == pytest.approx(dragged_latitude, abs=1e-5)

    # Pending: nowhere on the public site yet.
    page.goto(site + "/initiatives/?q=Vélo-école")
    expect(page.locator("#results-heading")).not_to_contain_text("1 ")
    problems.assert_none()

    # A curator publishes it in the admin, in a separate browser session.
    call_command("create_curator", "alice", "--password", CURATOR_PASSWORD, "--no-input")
    curator = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = watched(curator.new_page(), problems)
    admin.goto(site + "/en/admin/")
    admin.locator("#id_username").fill("alice")
    admin.locator("#id_password").fill(CURATOR_PASSWORD)
    admin.locator("input[type=submit], button[type=submit]").first.click()
    admin.goto(site + "/en/admin/initiatives/initiative/")
    admin.get_by_role("link", name="Vélo-école du Cap").click()
    admin.get_by_role("button", name=re.compile("Published")).click()
    expect(admin.locator(".messagelist")).to_contain_text("Vélo-école du Cap")
    shot(admin, "admin-published")
    curator.close()
    problems.assert_none()  # the admin runs under the same strict policy
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED

    # The public finds it on the map and in the list; the submitter stays private.
    page.goto(site + "/initiatives/?q=V%C3%A9lo-%C3%A9cole")
    expect(page.locator("#directory-results .card")).to_have_count(1)
    marker = page.locator('.directory-map .leaflet-marker-icon[title="Vélo-école du Cap"]')
    expect(marker).to_be_visible()
    marker.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Vélo-école du Cap")
    shot(page, "published-on-map")
    assert "Camille" not in page.content()
    problems.assert_none()


def test_the_form_works_with_the_keyboard_alone(site, data, page, problems):
    page.goto(site + "/initiatives/submit/")
    tab_to(page, "#id_name")
    page.keyboard.type("Atelier clavier")
    tab_to(page, "#id_commune")
    choose_commune_by_keyboard(page, "Plouh", "Morbihan")
    expect(page.locator("#id_commune_code")).to_have_value("56169")
    tab_to(page, "#id_summary")
    page.keyboard.type("Tout se fait au clavier.")
    tab_to(page, "input[name=themes]")
    page.keyboard.press("Space")
    tab_to(page, "#id_submitter_name")
    page.keyboard.type("Dominique")
    tab_to(page, "#id_submitter_email")
    page.keyboard.type("dominique@example.org")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "#submit-button")
    page.keyboard.press("Enter")
    expect(page.locator("#submit-done")).to_be_visible()
    assert Initiative.objects.get(name="Atelier clavier").commune.code == "56169"
    problems.assert_none()


def test_errors_are_announced_next_to_the_fields(site, data, page, problems):
    page.goto(site + "/initiatives/submit/")
    page.locator("#id_name").fill("Sans commune")
    page.locator("#submit-button").click()
    commune = page.locator("#id_commune")
    expect(commune).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_commune_error")).to_be_visible()
    # What was typed is kept.
    expect(page.locator("#id_name")).to_have_value("Sans commune")
    assert not Initiative.objects.exists()
    problems.assert_none()
