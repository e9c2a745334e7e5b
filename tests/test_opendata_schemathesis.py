"""The API v1 keeps its word: schemathesis, run on a seeded database against the OpenAPI schema
the site serves, finds no server error and no answer that contradicts the schema.

Bounded for CI (a few examples per operation): it is a property test, not a load test.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opendata.models import Partner, PartnerToken

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = 15


@pytest.fixture
def seeded(transactional_db, world, settings):
    # Every request of the run counts against one address: the limit is another test's.
    settings.API_RATE_LIMIT = settings.API_WRITE_RATE_LIMIT = 1_000_000
    partner = Partner.objects.create(name="Réseau test", contact_email="api@example.org")
    return PartnerToken.issue(partner)[1]


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, seeded, tmp_path):
    report = tmp_path / "report.json"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "13",
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {seeded}",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    # In the test's directory: schemathesis keeps a cache where it runs.
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    print(run.stdout[-3000:])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert json.loads(report.read_text())
