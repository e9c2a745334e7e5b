"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Map tiles come from the internet, which tests cannot reach: every tile request is answered with a
blank PNG. axe-core is vendored (tests/browser/vendor) and served to the page from the site's own
origin, so the accessibility check runs under the real Content-Security-Policy.
"""

import base64
import os
import re
import shutil
from pathlib import Path

import pytest

# The live server thread and the test share the ORM; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-e"))
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
)


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests skip, except in CI, where they must run."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    if not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"CI=true but {CHROMIUM} is missing: the browser tests must run in CI "
            "(apt-get install -y chromium)."
        )
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install -y chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}


class PageProblems:
    """What the browser complained about: CSP violations, script errors, failed requests."""

    def __init__(self):
        self.console_errors = []
        self.page_errors = []

    def assert_none(self):
        assert not self.page_errors, self.page_errors
        assert not self.console_errors, self.console_errors


@pytest.fixture
def problems():
    return PageProblems()


@pytest.fixture
def page(page, problems):
    """A page whose tiles are blank, whose errors are recorded, and that can load axe-core."""
    return watched(page, problems)


def watched(page, problems):
    page.set_default_timeout(10_000)
    page.route(
        re.compile(r"^https?://[^/]*tile\.openstreetmap\.org/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    page.route(
        f"**{AXE_URL}",
        lambda route: route.fulfill(
            status=200, content_type="application/javascript", body=AXE.read_bytes()
        ),
    )

    def on_console(message):
        # A blocked inline script or style is reported here as "Refused to …".
        if message.type == "error":
            problems.console_errors.append(message.text)

    def on_response(response):
        if response.status >= 400:
            problems.console_errors.append(f"HTTP {response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    return page


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's root URL, with the database available to the test."""
    return live_server.url


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page; the violations of these impacts, as readable strings."""
    page.add_script_tag(url=AXE_URL)
    results = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in impacts
    ]
