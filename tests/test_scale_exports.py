"""Exports stream: the response starts before the rows are read, and reads them in chunks."""

import csv
import io
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from initiatives.api import EXPORT_CHUNK_SIZE
from initiatives.models import Initiative
from tests.scale_world import add_samples


def initiative_queries(queries):
    return [q for q in queries if 'FROM "initiatives_initiative"' in q["sql"]]


@pytest.mark.parametrize("path", ["/initiatives/export.csv", "/initiatives/export.geojson"])
def test_exports_are_produced_lazily_in_chunks(client, communes, path):
    add_samples(EXPORT_CHUNK_SIZE * 2 + 100)
    with CaptureQueriesContext(connection) as at_start:
        response = client.get(path)
    assert isinstance(response, StreamingHttpResponse)
    # Nothing of the initiatives has been read when the response is handed to the server, but
    # whether the selection holds a share-alike record (its licence, in the headers).
    read = initiative_queries(at_start.captured_queries)
    assert [q for q in read if '"licence" IN' not in q["sql"]] == []
    assert len(read) <= 1

    with CaptureQueriesContext(connection) as streaming:
        chunks = iter(response.streaming_content)
        head = next(chunks)
        after_head = len(streaming.captured_queries)
        body = head + b"".join(chunks)
    assert after_head < len(streaming.captured_queries)  # rows are read while streaming
    # Related rows are fetched per chunk, never per row.
    assert len(streaming.captured_queries) < 10 * 3

    total = Initiative.objects.published().count()
    text = body.decode("utf-8-sig")
    if path.endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        assert len(rows) == total
    else:
        assert len(json.loads(text)["features"]) == total


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no server-side cursor")
def test_an_export_streams_from_a_cursor_the_server_does_not_fill_first(client, communes):
    """Outside a transaction, Django declares its cursor WITH HOLD, and PostgreSQL computes the
    whole selection before the first row: an export runs in a transaction instead."""
    add_samples(EXPORT_CHUNK_SIZE + 10)
    with CaptureQueriesContext(connection) as streaming:
        body = b"".join(client.get("/initiatives/export.csv").streaming_content)
    declared = [q["sql"] for q in streaming.captured_queries if q["sql"].startswith("DECLARE")]
    assert declared and not [sql for sql in declared if "WITH HOLD" in sql]
    assert len(body.splitlines()) == Initiative.objects.published().count() + 1
