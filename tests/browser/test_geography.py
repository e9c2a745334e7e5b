"""Outlines and location precision, as a visitor's browser draws them (issue 12)."""

import json
import re

import pytest
from playwright.sync_api import expect

from initiatives.models import LocationPrecision, Status
from territories.models import Outline
from tests.factories import CommuneFactory, EpciFactory, InitiativeFactory

pytestmark = pytest.mark.django_db(transaction=True)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.7, 45.7], [4.9, 45.7], [4.9, 45.8], [4.7, 45.8], [4.7, 45.7]]],
}


@pytest.fixture
def metropolis(site):
    epci = EpciFactory(name="Métropole test", slug="metropole-test")
    Outline.objects.create(
        territory=epci,
        geometry=json.dumps(SQUARE),
        west=4.7,
        south=45.7,
        east=4.9,
        north=45.8,
        source="test",
    )
    commune = CommuneFactory(name="Lyon", slug="lyon", latitude=45.76, longitude=4.84, epci=epci)
    for precision, lon in ((LocationPrecision.EXACT, 4.80), (LocationPrecision.APPROXIMATE, 4.86)):
        InitiativeFactory(
            commune=commune,
            latitude=45.75,
            longitude=lon,
            status=Status.PUBLISHED,
            location_precision=precision,
        )
    return epci


def drawn_outline(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-container')]"
        ".map((e) => e.dataset.outlineDrawn || '').join('')"
    )


def poll(page, read, expected):
    for _ in range(50):
        if read(page) == expected:
            return
        page.wait_for_timeout(100)
    assert read(page) == expected


def test_territory_page_draws_its_outline_and_fits_the_map(site, metropolis, page, problems):
    page.goto(site + metropolis.get_absolute_url())
    poll(page, drawn_outline, "Métropole test")
    expect(page.locator(".leaflet-pane.leaflet-outlines-pane path")).to_have_count(1)
    # Fitted to it: the outline spans most of the map's width.
    outline = page.locator(".leaflet-outlines-pane path").bounding_box()
    frame = page.locator(".leaflet-container").first.bounding_box()
    assert outline["width"] > frame["width"] / 3 or outline["height"] > frame["height"] / 2
    problems.assert_none()


def test_directory_draws_the_filtered_territorys_outline_and_precise_points(
    site, metropolis, page, problems
):
    page.goto(site + "/initiatives/?territory=metropole-test")
    poll(page, drawn_outline, "Métropole test")
    expect(page.locator(".marker.marker-approximate")).to_have_count(1)
    expect(page.locator(".marker.marker-exact")).to_have_count(1)
    problems.assert_none()


def test_a_territory_without_outline_draws_none_without_error(site, metropolis, page, problems):
    page.goto(site + "/territories/lyon/")
    page.wait_for_timeout(500)
    assert drawn_outline(page) == ""
    problems.assert_none()


def test_near_me_sorts_by_distance_from_the_browsers_position(site, metropolis, page, problems):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.7501, "longitude": 4.8602})
    page.goto(site + "/initiatives/")
    page.locator("[data-near-me]").click()
    expect(page).to_have_url(re.compile(r"near=45\.750%2C4\.860"))
    assert "sort=distance" in page.url
    first = page.locator(".card").first
    expect(first.locator(".card-distance")).to_contain_text("km")
    problems.assert_none()
