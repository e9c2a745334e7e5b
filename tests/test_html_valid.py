"""The main public pages are valid HTML, as the Nu HTML Checker (npm ``vnu-jar``, run with the
machine's Java) reads them. ``make test`` installs it (``npm install``); CI must run it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist"
VNU_JAR = VNU / "vnu.jar"

pytestmark = pytest.mark.django_db


def checker():
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return [java, "-jar", str(VNU_JAR)]
    if os.environ.get("CI"):
        pytest.fail("CI must run the Nu HTML Checker: java and node_modules/vnu-jar (npm install)")
    pytest.skip("the Nu HTML Checker needs java and `npm install` (node_modules/vnu-jar)")


def test_the_main_public_pages_are_valid_html(client, world, tmp_path):
    command = checker()
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
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 404), path
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
