"""An initiative's page in the browser: its opening hours as a week, the form to write to its
people (the address nowhere), the stale notice; the map draws stale entries faded. Desktop and
phone, screenshots in SHOTS_DIR."""

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.browser.conftest import axe_violations, shot, watched
from tests.factories import CommuneFactory, InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "bonjour@ressourcerie.example.org"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def entry(site):
    commune = CommuneFactory(name="Lyon", latitude=45.76, longitude=4.83)
    entry = InitiativeFactory(
        name="Ressourcerie des Pentes",
        summary="Une ressourcerie : dons, réparation et revente d’objets.",
        description="Déposez vos objets du lundi au samedi.",
        contact_email=ADDRESS,
        opening_hours='Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-18:00; Su off "sur rendez-vous"',
        commune=commune,
        themes=[ThemeFactory(slug="solidarite", name_fr="Solidarité")],
    )
    Initiative.objects.filter(pk=entry.pk).update(stale=True)
    return entry


def check(page, problems):
    expect(page.locator(".hours-week tr")).to_have_count(7)
    expect(page.locator("#contact-form")).to_be_visible()
    expect(page.locator("#stale-notice")).to_be_visible()
    assert ADDRESS not in page.content()
    # The honeypot is out of sight.
    box = page.locator("#contact-form .hp").bounding_box()
    assert box is None or box["x"] < 0
    problems.assert_none()


def test_the_page_shows_hours_and_the_contact_form(site, entry, page, problems):
    page.goto(site + entry.get_absolute_url())
    check(page, problems)
    page.locator(".opening-hours").scroll_into_view_if_needed()
    shot(page, "freshness-initiative-desktop")
    page.locator("#contact-form").scroll_into_view_if_needed()
    shot(page, "freshness-contact-desktop")
    assert not axe_violations(page)

    page.get_by_label("Votre nom").fill("Dominique")
    page.get_by_label("Votre e-mail").fill("dominique@example.net")
    page.get_by_label("Votre message").fill("Bonjour, prenez-vous les meubles ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator("#contact-done")).to_be_visible()
    assert ADDRESS not in page.content()


def test_the_page_on_a_phone(site, entry, browser, problems):
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = watched(context.new_page(), problems)
    page.goto(site + entry.get_absolute_url())
    check(page, problems)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    page.locator(".opening-hours").scroll_into_view_if_needed()
    shot(page, "freshness-initiative-phone")
    page.locator("#contact-form").scroll_into_view_if_needed()
    shot(page, "freshness-contact-phone")
    context.close()


def test_stale_entries_are_faded_on_the_map(site, entry, page, problems):
    InitiativeFactory(
        name="Épicerie confirmée",
        commune=CommuneFactory(name="Bourges"),  # far enough not to be clustered with Lyon
        opening_hours="24/7",
        themes=[entry.themes.first()],
    )
    page.goto(site + "/initiatives/")
    expect(page.locator(".marker-stale")).to_have_count(1)
    expect(page.locator(".marker:not(.marker-stale)")).not_to_have_count(0)
    shot(page, "freshness-directory-map-stale-faded")

    page.get_by_label("Ouvert maintenant").check()
    expect(page.locator("#results-heading")).to_have_text("1 initiative")
    expect(page.locator("#directory-results")).to_contain_text("Épicerie confirmée")
    expect(page.locator(".leaflet-marker-icon.marker")).to_have_count(1)  # the map follows
    shot(page, "freshness-directory-open-now")
    problems.assert_none()
