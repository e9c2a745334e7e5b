"""The intelligence pages are valid HTML for the Nu HTML Checker, as the main pages are."""

import pytest
from django.core.management import call_command

from tests.html_checker import checker, html_errors

pytestmark = pytest.mark.django_db


def test_the_intelligence_pages_are_valid_html(client, world, tmp_path):
    checker()  # skips (or fails in CI) before any work when the checker is missing
    call_command("load_solutions", verbosity=0)
    pages = {
        "solutions": "/solutions/",
        "solution": "/solutions/recyclerie/",
        "compare": f"/compare/?t={world.town.slug}&t={world.city.slug}&t={world.metropolis.slug}",
        "compare-error": "/compare/?t=nowhere",
        "compare-one": f"/compare/?t={world.town.slug}",
        "profile": f"/en/territories/{world.town.slug}/profile/",
        "country-map": "/territories-map/?level=region",
        "territory": f"/territories/{world.metropolis.slug}/",
    }
    contents = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 400), path
        contents[name] = response.content
    problems = html_errors(contents, tmp_path)
    assert not problems, "\n".join(problems)
