"""Areas served and distances, as a visitor's browser shows them (issue 12)."""

import re

import pytest
from playwright.sync_api import expect

from initiatives.models import Status
from tests.browser.conftest import shot
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    InitiativeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def places(site):
    theme = ThemeFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    department = DepartmentFactory(name="Rhône", slug="rhone", code="69")
    metropolis = EpciFactory(
        name="Métropole de Lyon", slug="metropole-de-lyon", department=department
    )
    lyon = CommuneFactory(
        name="Lyon", slug="lyon", code="69123", epci=metropolis, latitude=45.76, longitude=4.84
    )
    brittany = CommuneFactory(name="Plouhinec", slug="plouhinec", latitude=48.01, longitude=-4.49)
    rover = InitiativeFactory(
        name="Épicerie mobile",
        summary="Une épicerie qui passe dans chaque village.",
        commune=lyon,
        latitude=45.70,
        longitude=4.90,
        status=Status.PUBLISHED,
        themes=[theme],
    )
    rover.areas_served.set([metropolis, department])
    InitiativeFactory(
        name="Coopérative bretonne", commune=brittany, status=Status.PUBLISHED, themes=[theme]
    )
    return {"rover": rover, "theme": theme}


def test_the_submission_form_adds_areas_from_the_suggestions(site, places, page, problems):
    page.goto(site + "/initiatives/submit/")
    field = page.locator("#id_areas_served")
    field.fill("Métro")
    option = page.get_by_role("option", name=re.compile("Métropole de Lyon"))
    option.click()
    chosen = page.locator("[data-areas-chosen] input[type=checkbox]")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_have_value("metropole-de-lyon")
    expect(field).to_have_value("")
    field.fill("Rhô")
    page.get_by_role("option", name=re.compile("Rhône")).first.click()
    expect(chosen).to_have_count(2)
    page.locator("#field-areas_served").scroll_into_view_if_needed()
    shot(page, "areas-form-desktop")
    page.set_viewport_size(PHONE)
    page.locator("#field-areas_served").scroll_into_view_if_needed()
    shot(page, "areas-form-phone")
    problems.assert_none()


def test_the_initiative_page_lists_its_areas(site, places, page, problems):
    page.goto(site + places["rover"].get_absolute_url())
    areas = page.locator(".areas-served li")
    expect(areas).to_have_count(2)
    expect(areas.first).to_contain_text("Métropole de Lyon")
    areas.first.scroll_into_view_if_needed()
    shot(page, "areas-page-desktop")
    page.set_viewport_size(PHONE)
    areas.first.scroll_into_view_if_needed()
    shot(page, "areas-page-phone")
    problems.assert_none()


def test_the_directory_option_includes_those_serving_the_territory(site, places, page, problems):
    brittany = CommuneFactory(name="Quimper", slug="quimper", latitude=48.0, longitude=-4.1)
    far = InitiativeFactory(name="Réseau breton", commune=brittany, status=Status.PUBLISHED)
    far.areas_served.set([places["rover"].commune])
    page.goto(site + "/initiatives/?territory=lyon")
    expect(page.locator(".cards .card")).to_have_count(1)
    option = page.locator("#id_serving")
    expect(page.locator("label[for=id_serving]")).to_contain_text("+1")
    option.check()
    expect(page.locator(".cards .card")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"serving=1"))
    shot(page, "areas-directory-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".cards .card")).to_have_count(2)
    shot(page, "areas-directory-phone")
    problems.assert_none()


def test_map_popups_say_how_far_when_sorted_near_a_point(site, places, page, problems):
    page.goto(site + "/initiatives/?near=45.75,4.85&sort=distance")
    expect(page.locator(".card-distance").first).to_be_visible()
    listed = page.locator(".card[data-slug='epicerie-mobile'] .card-distance").inner_text()
    marker = page.locator(".leaflet-marker-icon.marker").first
    expect(marker).to_be_visible()
    page.locator(".leaflet-marker-icon.marker[title='Épicerie mobile']").click()
    popup = page.locator(".popup-distance")
    expect(popup).to_have_text(listed)
    page.wait_for_timeout(400)  # the popup fades in
    shot(page, "areas-popup-distance-desktop")
    problems.assert_none()
