"""The main public pages are valid HTML, as the Nu HTML Checker reads them (tests/html_checker.py)."""

import pytest

from tests.html_checker import checker, html_errors

pytestmark = pytest.mark.django_db


def test_the_main_public_pages_are_valid_html(client, world, tmp_path):
    checker()  # skips (or fails in CI) before any work when the checker is missing
    world.repair.website = "https://example.org/a/very/long/address/that/should/wrap/anyway"
    world.repair.contact_email = "une.adresse.tres.longue.de.contact@exemple-association.org"
    world.repair.save()
    pages = {
        "home": "/",
        "directory": "/initiatives/",
        "directory-filtered": "/initiatives/?theme=alimentation&territory=petiteville&sort=name",
        "directory-empty": "/initiatives/?q=zzzz",
        "initiative": world.repair.get_absolute_url(),
        "territories": "/territories/?q=petit",
        "territory": "/territories/petiteville/",
        "levers": "/levers/",
        "about": "/about/",
        "api-docs": "/api/v1/docs/",
        "submit": "/initiatives/submit/",
        "english": "/en/initiatives/",
        "not-found": "/no-such-page/",
    }
    contents = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        contents[name] = response.content
    problems = html_errors(contents, tmp_path)
    assert not problems, "\n".join(problems)
