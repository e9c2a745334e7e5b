"""The API documentation page: Swagger UI from our own static files, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS
from tests.directory_world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_lists_every_operation_without_a_csp_complaint(site, page, problems):
    build_world()
    page.goto(site + "/api/v1/docs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation de l’API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = set(operations.all_inner_texts())
    assert {"/api/v1/initiatives/", "/api/v1/territories/", "/api/v1/themes/"} <= {
        p.replace("\u200b", "") for p in paths
    }
    # "Try it out" on the list: the answer comes from this server.
    page.locator("#operations-initiatives-initiatives_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api-docs-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/api/v1/docs/")
    expect(operations.first).to_be_visible()
    page.screenshot(path=str(SHOTS / "api-docs-phone.png"), full_page=False)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    problems.assert_none()
