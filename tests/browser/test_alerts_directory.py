"""From the directory, the view being looked at can be followed: its Atom feed (in the page's
head, for feed readers), an e-mail alert and the embed builder, all of the current filters,
also after filtering without a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.data import directory_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(site):
    return directory_data()


def test_the_follow_links_and_the_feed_follow_the_filters(site, data, page, problems):
    page.goto(site + "/initiatives/")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert feed.get_attribute("href") == "/alerts/feed.atom"

    page.get_by_label(re.compile(r"^Alimentation")).check()
    expect(page).to_have_url(re.compile(r"theme=alimentation"))
    expect(page.get_by_role("link", name="alerte par courriel")).to_have_attribute(
        "href", "/alerts/subscribe/?theme=alimentation"
    )
    expect(page.get_by_role("link", name="Intégrer cette carte à votre site")).to_have_attribute(
        "href", "/embed-this-map/?theme=alimentation"
    )
    assert feed.get_attribute("href") == f"{site}/alerts/feed.atom?theme=alimentation"

    page.get_by_role("link", name="alerte par courriel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Être averti des nouvelles initiatives par courriel"
    )
    expect(page.locator(".lead strong")).to_have_text("Alimentation")
    problems.assert_none()
