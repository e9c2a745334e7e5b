"""Territory intelligence as a person sees it: the comparison beside the territory's figures,
a comparison page for three territories, a solution's page — readable on a desktop and on a
phone (nothing wider than 320 px), without serious accessibility problems."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intelligence.models import Solution
from tests.browser.conftest import axe_violations, watched
from tests.factories import CommuneFactory, EpciFactory, InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/shots-intelligence")
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def towns(site):
    call_command("load_solutions", verbosity=0)
    food = ThemeFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    epci = EpciFactory()
    towns = [
        CommuneFactory(name=name, population=population, epci=epci, latitude=lat)
        for name, population, lat in (
            ("Villebourg", 12_000, 47.5),
            ("Champvert", 9_000, 47.7),
            ("Roc-sur-Mer", 11_000, 48.1),
        )
    ]
    reuse = Solution.objects.get(slug="recyclerie")
    for town, count in zip(towns, (4, 2, 1), strict=True):
        for i in range(count):
            InitiativeFactory(commune=town, themes=[food], name=f"Initiative {town.name} {i}")
    for town in towns[1:]:
        InitiativeFactory(commune=town, name=f"Recyclerie de {town.name}").solutions.add(reuse)
    return towns


def look(browser, problems, size, site, path, name):
    page = watched(browser.new_context(**SIZES[size], locale="fr-FR").new_page(), problems)
    page.goto(site + path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"browser-{name}-{size}.png"), full_page=True)
    return page


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_territory_shows_itself_beside_comparable_ones_and_what_it_lacks(
    site, towns, browser, problems, size
):
    town = towns[0]
    page = look(
        browser,
        problems,
        size,
        site,
        town.get_absolute_url(),
        "territory",
    )
    expect(page.get_by_role("heading", name="Comparé aux territoires semblables")).to_be_visible()
    expect(page.get_by_role("img", name="Initiatives pour 10 000 habitants")).to_be_visible()
    missing = page.locator("#missing-heading + p + ul")
    expect(missing).to_contain_text("Recyclerie")
    expect(missing).to_contain_text("Recyclerie de Champvert")  # the nearest example first
    assert (
        page.evaluate("() => document.documentElement.scrollWidth")
        <= SIZES[size]["viewport"]["width"]
    )
    assert axe_violations(page) == []
    page.get_by_role("link", name="Comparer côte à côte").click()
    expect(page.get_by_role("heading", name="Comparer des territoires")).to_be_visible()
    expect(page.locator(".intel-table")).to_contain_text("Champvert")
    problems.assert_none()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_three_territories_side_by_side_and_a_solution_page(site, towns, browser, problems, size):
    query = "&".join(f"t={town.slug}" for town in towns)
    page = look(browser, problems, size, site, f"/compare/?{query}", "compare")
    for town in towns:
        expect(page.locator(".intel-table thead")).to_contain_text(town.name)
    assert (
        page.evaluate("() => document.documentElement.scrollWidth")
        <= SIZES[size]["viewport"]["width"]
    )
    assert axe_violations(page) == []
    page = look(browser, problems, size, site, "/solutions/recyclerie/", "solution")
    expect(page.get_by_role("heading", name="Recyclerie / ressourcerie")).to_be_visible()
    expect(page.locator("#candidates-heading + p + ul")).to_contain_text("Villebourg")
    assert (
        page.evaluate("() => document.documentElement.scrollWidth")
        <= SIZES[size]["viewport"]["width"]
    )
    problems.assert_none()


def test_no_intelligence_page_is_wider_than_320_px(site, towns, browser, problems):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = watched(context.new_page(), problems)
    for path in (
        towns[0].get_absolute_url(),
        f"/compare/?t={towns[0].slug}&t={towns[1].slug}&t={towns[2].slug}",
        "/solutions/",
        "/solutions/recyclerie/",
        f"/territories/{towns[0].slug}/profile/",
        "/territories-map/?level=department",
    ):
        page.goto(site + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
    problems.assert_none()


def test_territories_are_added_to_a_comparison_by_typing_their_name(site, towns, page, problems):
    page.goto(f"{site}/compare/?t={towns[0].slug}")
    page.get_by_role("combobox", name="Ajouter un territoire").fill("Champ")
    page.get_by_role("option", name="Champvert").click()
    page.wait_for_url(f"**/compare/?t={towns[0].slug}&t={towns[1].slug}")
    expect(page.locator(".intel-table thead")).to_contain_text("Champvert")
    page.get_by_role("link", name="Retirer Villebourg").click()
    page.wait_for_url(f"**/compare/?t={towns[1].slug}")
    expect(page.get_by_role("combobox", name="Ajouter un territoire")).to_be_visible()
    problems.assert_none()


def test_a_territory_page_prints_without_the_site_s_navigation_and_map(site, towns, page, problems):
    page.goto(site + towns[0].get_absolute_url())
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".map-frame")).to_be_hidden()
    expect(page.get_by_role("heading", name="Comparé aux territoires semblables")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "browser-territory-print.png"), full_page=True)
    problems.assert_none()
