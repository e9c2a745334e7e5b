"""The directory: filters, list, map and address stay in step; everything works by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.data import directory_data

pytestmark = pytest.mark.django_db(transaction=True)

MAP = ".directory-map"


@pytest.fixture
def data(site):
    return directory_data()


def initiatives_on_map(page):
    """How many initiatives the directory map represents: cluster counts plus single markers."""
    return page.evaluate(
        """(map) => {
            const root = document.querySelector(map);
            let total = 0;
            for (const c of root.querySelectorAll('.marker-cluster')) total += parseInt(c.innerText, 10);
            total += root.querySelectorAll('.leaflet-marker-icon.marker:not(.marker-cluster)').length;
            return total;
        }""",
        MAP,
    )


def expect_map_count(page, count):
    page.wait_for_function(
        """([map, count]) => {
            const root = document.querySelector(map);
            let total = 0;
            for (const c of root.querySelectorAll('.marker-cluster')) total += parseInt(c.innerText, 10);
            total += root.querySelectorAll('.leaflet-marker-icon.marker:not(.marker-cluster)').length;
            return total === count;
        }""",
        arg=[MAP, count],
    )


def card_names(page):
    return page.locator(
        "#directory-results .card h3, #directory-results .card .card-title"
    ).all_inner_texts()


def test_a_facet_updates_the_list_the_map_and_the_address_and_back_restores(
    site, data, page, problems
):
    page.goto(site + "/initiatives/")
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("10 initiatives")
    expect_map_count(page, 10)

    page.get_by_label(re.compile(r"^Alimentation")).check()
    expect(page).to_have_url(re.compile(r"/initiatives/\?(.*&)?theme=alimentation(&|$)"))
    expect(heading).to_have_text("6 initiatives")
    expect(page.locator("#directory-results .card")).to_have_count(6)
    expect(page.locator("#directory-results .card").first).to_contain_text("Épicerie solidaire")
    expect_map_count(page, 6)
    expect(page.locator(".chips")).to_contain_text("Alimentation")
    shot(page, "directory-filtered")

    page.go_back()
    expect(page).to_have_url(site + "/initiatives/")
    expect(heading).to_have_text("10 initiatives")
    expect(page.get_by_label(re.compile(r"^Alimentation"))).not_to_be_checked()
    expect_map_count(page, 10)

    page.go_forward()
    expect(heading).to_have_text("6 initiatives")
    problems.assert_none()


def test_a_shared_address_reproduces_the_view(site, data, page, problems):
    page.goto(site + "/initiatives/?theme=reemploi")
    expect(page.locator("#results-heading")).to_have_text("4 initiatives")
    expect(page.get_by_label(re.compile(r"^Réemploi"))).to_be_checked()
    expect_map_count(page, 4)
    problems.assert_none()


def test_search_in_this_area_restricts_the_list_to_the_map_view(site, data, page, problems):
    page.goto(site + "/initiatives/")
    expect_map_count(page, 10)
    area_button = page.locator(f"{MAP} button.search-area")
    expect(area_button).to_be_hidden()
    # The person zooms into Lille by clicking its cluster of six.
    page.locator(f"{MAP} .marker-cluster", has_text="6").click()
    expect(area_button).to_be_visible()
    shot(page, "directory-zoomed")
    area_button.click()
    expect(page).to_have_url(re.compile(r"bbox=[-0-9.,%C]+"))
    expect(page.locator("#results-heading")).to_have_text("6 initiatives")
    for name in card_names(page):
        assert name.startswith("Épicerie solidaire"), name
    problems.assert_none()


def test_filters_work_with_the_keyboard_alone(site, data, page, problems):
    page.goto(site + "/initiatives/")
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("10 initiatives")
    checkbox = page.locator("#f-theme-reemploi")
    tab_to(page, "#f-theme-reemploi")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"theme=reemploi"))
    expect(heading).to_have_text("4 initiatives")
    # The focus stays on the filter the person was using.
    expect(checkbox).to_be_focused()
    expect(checkbox).to_be_checked()
    # Remove the filter with its chip, by keyboard.
    tab_to(page, ".chips a.chip")
    page.keyboard.press("Enter")
    expect(heading).to_have_text("10 initiatives")
    expect(page).not_to_have_url(re.compile("theme="))
    problems.assert_none()


def tab_to(page, selector, limit=80):
    """Press Tab until ``selector`` has the focus: proves it is reachable by keyboard."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")
