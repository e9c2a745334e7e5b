"""The Nu HTML Checker (npm ``vnu-jar``, run with the machine's Java), for the tests that check
pages are valid HTML. ``make test`` installs it (``npm install``); CI must run it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist"
VNU_JAR = VNU / "vnu.jar"


def checker():
    """The command that runs the checker; skips the test without it (fails it in CI)."""
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return [java, "-jar", str(VNU_JAR)]
    if os.environ.get("CI"):
        pytest.fail("CI must run the Nu HTML Checker: java and node_modules/vnu-jar (npm install)")
    pytest.skip("the Nu HTML Checker needs java and `npm install` (node_modules/vnu-jar)")


def html_errors(pages, tmp_path):
    """The checker's errors in ``pages`` (name → HTML bytes), one line each: ``name.html:line: …``.

    One run of the checker for all of them (its start-up is most of its time)."""
    command = checker()
    files = []
    for name, content in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_bytes(content)
        files.append(str(target))
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
    ]
