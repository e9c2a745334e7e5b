"""A partner's page on another origin frames the embedded directory: it renders, with its map
and list, sets no cookie, and its links open the full site in a new tab. A page that is not an
embed, framed the same way, is refused by the browser."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, shot
from tests.browser.data import directory_data

pytestmark = pytest.mark.django_db(transaction=True)

PARTNER_PORT = 8114


@pytest.fixture
def data(site):
    return directory_data()


@pytest.fixture
def partner():
    """A partner's site on another origin: ``partner(html)`` serves that page at its root."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages["/"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html):
        pages["/"] = html
        return f"http://127.0.0.1:{PARTNER_PORT}/"

    yield serve
    server.shutdown()
    server.server_close()


def partner_page(src, height=520):
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Le réseau des épiceries</title></head>
<body style="font-family: sans-serif; margin: 1rem 2rem; background: #f4f0ff">
<h1>Our partner network</h1><p>Food initiatives near us, from ssemap:</p>
<iframe id="framed" src="{src}" title="ssemap" width="100%" height="{height}" style="border:0"></iframe>
<p>Partner footer.</p></body></html>"""


def test_the_embed_renders_inside_another_sites_page(site, data, partner, page, problems):
    page.goto(partner(partner_page(f"{site}/embed/?theme=alimentation")))
    frame = page.frame_locator("#framed")

    # The list of the view: the six food initiatives, none of the repair cafés.
    expect(frame.locator(".embed-title")).to_contain_text("6 initiatives")
    expect(frame.locator(".card")).to_have_count(6)
    expect(frame.locator(".embed-filters")).to_have_text("Alimentation")
    # The map draws them (one cluster at this zoom, or markers).
    expect(frame.locator(".marker-cluster, .leaflet-marker-icon").first).to_be_visible()
    assert "Repair café" not in frame.locator("body").inner_text()
    shot(page, "embed-in-partner-desktop")

    # No cookie for the embed's site, whatever was shown.
    assert [c for c in page.context.cookies() if c["domain"] in ("localhost", "127.0.0.1")] == []

    # A link opens the full site in a new tab; the partner's page stays.
    with page.context.expect_page() as opened:
        frame.locator(".card-title a").first.click()
    new_tab = opened.value
    new_tab.wait_for_load_state()
    assert new_tab.url.startswith(f"{site}/initiatives/")
    expect(new_tab.locator(".site-header")).to_be_visible()
    assert page.url.startswith(f"http://127.0.0.1:{PARTNER_PORT}/")
    new_tab.close()

    page.set_viewport_size({"width": 390, "height": 844})
    expect(frame.locator(".card").first).to_be_visible()
    shot(page, "embed-in-partner-phone")
    problems.assert_none()


def test_a_map_only_embed_fills_its_frame(site, data, partner, page, problems):
    page.goto(partner(partner_page(f"{site}/embed/?practice=partage&show=map", height=400)))
    frame = page.frame_locator("#framed")
    expect(frame.locator(".marker-cluster, .leaflet-marker-icon").first).to_be_visible()
    expect(frame.locator(".card")).to_have_count(0)
    box = frame.locator(".leaflet-container").bounding_box()
    assert box["height"] > 300  # the map takes the frame, less the one-line header
    shot(page, "embed-map-only")
    problems.assert_none()


def test_a_page_that_is_not_an_embed_refuses_to_be_framed(site, data, partner, page, problems):
    page.goto(partner(partner_page(f"{site}/initiatives/?theme=alimentation")))
    frame = page.frame_locator("#framed")
    # The browser refuses it (CSP frame-ancestors 'none'; X-Frame-Options: DENY).
    page.wait_for_timeout(500)
    expect(frame.locator(".site-header")).to_have_count(0)
    assert any("frame-ancestors" in message for message in problems.console_errors), (
        problems.console_errors
    )
    shot(page, "non-embed-refused")


def test_the_embed_is_accessible(site, data, page, problems):
    page.goto(f"{site}/embed/?theme=alimentation")
    expect(page.locator(".card").first).to_be_visible()
    assert axe_violations(page) == []
    problems.assert_none()
