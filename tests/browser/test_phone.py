"""The public pages on a phone: results first, filters in a drawer, a list/map switch that is
remembered, any territory through the autocomplete, an empty state, nothing wider than 320 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, watched
from tests.browser.data import directory_data

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def data(site):
    return directory_data()


def phone_page(browser, problems, **size):
    context = browser.new_context(**{**PHONE, **size}, locale="fr-FR")
    return watched(context.new_page(), problems)


def test_on_a_phone_results_come_first_and_filters_open_in_a_drawer(site, data, browser, problems):
    page = phone_page(browser, problems)
    page.goto(site + "/initiatives/")
    first_card = page.locator("#directory-results .card").first
    expect(first_card).to_be_visible()
    assert first_card.bounding_box()["y"] < 844  # on the first screen, not below map and filters
    expect(page.locator("#directory-filters")).to_be_hidden()
    expect(page.locator(".directory-map")).to_be_hidden()

    toggle = page.locator(".filters-toggle")
    expect(toggle).to_have_accessible_name("Filtres")
    toggle.click()
    expect(page.locator("#directory-filters")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Alimentation").check()
    expect(page.locator("#results-heading")).to_have_text("6 initiatives")
    # The drawer stays open while filtering, and its button counts the active filters.
    expect(page.locator("#directory-filters")).to_be_visible()
    expect(page.locator("[data-filters-count]")).to_have_text("1")
    shot(page, "phone-directory-filters-open")
    page.get_by_role("button", name="Voir les résultats").click()
    expect(page.locator("#directory-filters")).to_be_hidden()
    expect(first_card).to_be_visible()

    page.get_by_role("button", name="Carte").click()
    expect(page.locator(".directory-map .leaflet-container")).to_be_visible()
    expect(page.locator("#directory-results")).to_be_hidden()
    expect(
        page.locator(".directory-map .marker-cluster, .directory-map .marker").first
    ).to_be_visible()
    # The choice and the filters survive a reload.
    page.reload()
    expect(page.locator(".directory-map .leaflet-container")).to_be_visible()
    assert "theme=alimentation" in page.url
    page.get_by_role("button", name="Liste").click()
    expect(page.locator("#directory-results .card").first).to_be_visible()
    problems.assert_none()


def test_the_map_lets_one_finger_scroll_the_page(site, data, browser, problems):
    page = phone_page(browser, problems)
    page.goto(site + "/")
    page.locator("#home-map.leaflet-container").wait_for()
    state = page.evaluate(
        """() => {
            const map = document.getElementById('home-map');
            return {touchAction: getComputedStyle(map).touchAction,
                    dragClass: map.classList.contains('leaflet-touch-drag')};
        }"""
    )
    assert state["dragClass"] is False  # Leaflet does not take one-finger drags
    assert state["touchAction"] != "none"
    problems.assert_none()


@pytest.mark.parametrize(
    ("typed", "label", "slug_of"),
    [("Lyo", "Lyon", lambda d: d["lyon"].slug), (None, None, lambda d: d["lyon"].epci.slug)],
)
def test_any_commune_or_intercommunality_can_be_picked_in_the_territory_filter(
    site, data, page, problems, typed, label, slug_of
):
    page.goto(site + "/initiatives/")
    box = page.get_by_role("combobox", name="Territoire")
    box.fill(typed or data["lyon"].epci.name)  # an intercommunality: by keyboard
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    if label:
        page.get_by_role("option", name=label).first.click()
    else:
        box.press("ArrowDown")
        expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
        box.press("Enter")
    slug = slug_of(data)
    page.wait_for_url(f"**territory={slug}**")
    expect(page.locator("#results-heading")).to_have_text("4 initiatives")
    expect(page.locator(".chip").first).to_be_visible()
    problems.assert_none()


def test_nothing_matching_says_so_on_the_list_and_on_the_map(site, data, page, problems):
    page.goto(site + "/initiatives/?q=introuvable")
    empty = page.locator(".empty-state")
    expect(empty).to_be_visible()
    expect(empty.get_by_role("link", name="Proposer une initiative")).to_be_visible()
    expect(page.locator(".map-empty")).to_contain_text("Aucune initiative ne correspond ici.")
    empty.get_by_role("link", name="Afficher toutes les initiatives").click()
    expect(page.locator("#results-heading")).to_have_text("10 initiatives")
    expect(page.locator(".map-empty")).to_be_hidden()
    problems.assert_none()


def test_no_public_page_is_wider_than_a_320_px_screen(site, data, browser, problems):
    from tests.factories import InitiativeFactory

    long = InitiativeFactory(
        name="Les Ateliers au nom particulièrement interminable et sans espace",
        commune=data["lille"],
        website="https://www.un-site-associatif-tres-long.example.org/chemin/vers/une/page",
        contact_email="contact.des.ateliers.avec.une.adresse.longue@association-exemple.org",
        themes=[data["food"]],
    )
    page = phone_page(browser, problems, viewport={"width": 320, "height": 640})
    paths = [
        "/",
        "/initiatives/",
        long.get_absolute_url(),
        "/territories/",
        data["lille"].get_absolute_url(),
        "/levers/",
        data["lever"].get_absolute_url(),
        "/about/",
        "/initiatives/submit/",
        f"{long.get_absolute_url()}correct/",
    ]
    for path in paths:
        page.goto(site + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
    problems.assert_none()
