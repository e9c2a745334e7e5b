"""The "embed this map" page, as a partner's webmaster uses it: from the directory's filtered
view, choose map only and a height, copy the code, see the preview."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.data import directory_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(site):
    return directory_data()


def test_from_the_directory_to_a_copied_snippet(site, data, page, problems):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + "/initiatives/?theme=alimentation")
    page.get_by_role("link", name="Intégrer cette carte à votre site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intégrer cette carte à votre site")
    expect(page.locator(".embed-locked")).to_have_text("Alimentation")

    page.get_by_label("Carte seule").check()
    page.get_by_label("Hauteur en pixels").fill("420")
    page.get_by_role("button", name="Mettre à jour le code").click()
    expect(page).to_have_url(re.compile(r"show=map"))

    page.get_by_role("button", name="Copier le code").click()
    expect(page.get_by_role("status").filter(has_text="copié")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f'<iframe src="{site}/embed/?theme=alimentation&show=map"')
    assert 'height="420"' in copied

    preview = page.frame_locator(".embed-preview")
    expect(preview.locator(".marker-cluster, .leaflet-marker-icon").first).to_be_visible()
    expect(preview.locator(".card")).to_have_count(0)
    shot(page, "embed-builder")
    problems.assert_none()
