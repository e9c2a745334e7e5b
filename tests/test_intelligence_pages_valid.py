"""The intelligence pages are valid HTML for the Nu HTML Checker, as the main pages are."""

import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.test_html_valid import checker

pytestmark = pytest.mark.django_db


def test_the_intelligence_pages_are_valid_html(client, world, tmp_path):
    command = checker()
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
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 400), path
        target = tmp_path / f"{name}.html"
        target.write_bytes(response.content)
        files.append(str(target))
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
    ]
    assert not problems, "\n".join(problems)
