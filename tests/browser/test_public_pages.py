"""What a visitor sees: the home map, the language switch, and accessible public pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, shot
from tests.browser.data import directory_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(site):
    return directory_data()


def test_home_map_shows_clusters_of_initiatives(site, data, page, problems):
    page.goto(site + "/")
    clusters = page.locator(".home-map .marker-cluster")
    expect(clusters.first).to_be_visible()
    counts = sorted(int(text) for text in clusters.all_inner_texts())
    assert counts == [4, 6]
    shot(page, "home-map")
    problems.assert_none()


def test_the_language_switch_shows_the_same_page_in_english(site, data, page, problems):
    page.goto(site + "/initiatives/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(site + "/en/initiatives/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Directory")
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(site + "/initiatives/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    problems.assert_none()


def public_pages(data):
    initiative = data["food_in_lille"][0]
    return [
        "/",
        "/initiatives/",
        "/initiatives/?theme=alimentation&practice=partage",
        initiative.get_absolute_url(),
        "/territories/",
        data["lille"].get_absolute_url(),
        "/levers/",
        data["lever"].get_absolute_url(),
        "/about/",
        "/initiatives/submit/",
        initiative.get_absolute_url() + "correct/",
        "/en/",
        "/en" + initiative.get_absolute_url(),
        "/en" + data["lille"].get_absolute_url(),
        "/en/initiatives/",
        "/en/initiatives/submit/",
    ]


def test_public_pages_have_no_serious_accessibility_violation(site, data, page, problems):
    found = {}
    for path in public_pages(data):
        response = page.goto(site + path)
        if response.status != 200:
            found[path] = [f"HTTP {response.status}"]
            continue
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert not found, found
    # No script error or blocked resource (the CSP reports "Refused to …") on any page.
    problems.assert_none()


def test_the_accessibility_check_catches_a_real_violation(site, page):
    # Guards the guard: an image without a text alternative must be reported.
    page.goto(site + "/about/")
    page.evaluate(
        """() => { const img = document.createElement('img'); img.src = '/static/none.png';
                   document.querySelector('main').append(img); }"""
    )
    assert any(v.startswith("image-alt") for v in axe_violations(page))
