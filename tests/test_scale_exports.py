"""Exports stream: the response starts before the rows are read, and reads them in chunks."""

import csv
import io
import json

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from initiatives.api import EXPORT_CHUNK_SIZE
from initiatives.exports import export_row, export_rows
from initiatives.models import Initiative, LowTechQuality
from territories.models import Territory
from tests.factories import EpciFactory
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no server-side cursor")
def test_an_export_cursor_is_planned_for_all_its_rows(client, communes):
    """PostgreSQL plans a cursor for its first tenth of rows: a region sorted newest first
    then walked the whole country's dates (4.7 s at 1M instead of 3.6). The export says it
    reads them all, in its own transaction only."""
    add_samples(20)
    with CaptureQueriesContext(connection) as streaming:
        b"".join(client.get("/initiatives/export.csv").streaming_content)
    sql = [q["sql"] for q in streaming.captured_queries]
    setting = sql.index("SET LOCAL cursor_tuple_fraction = 1.0")
    declared = next(i for i, text in enumerate(sql) if text.startswith("DECLARE"))
    assert setting < declared
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone() == ("0.1",)


def test_rows_read_as_values_are_the_rows_of_each_initiative(world):
    """The export reads plain values, not model instances: the same row as ``export_row`` of
    each initiative, whatever it lacks (legal form, intercommunality) or holds in excess
    (areas served, low-tech qualities, several themes), and in the queryset's order."""
    quality = LowTechQuality.objects.create(slug="sobre-test", name_fr="Sobre", name_en="Sober")
    world.repair.low_tech_qualities.set([quality])
    # Listed by name, as the page lists them, whatever their slugs' order.
    zebra = EpciFactory(name="Agglo du Zèbre", slug="a-zebre", department=world.department)
    alpha = EpciFactory(name="Agglo Alpha", slug="z-alpha", department=world.department)
    world.repair.areas_served.set([world.metropolis, world.department, zebra, alpha])
    orphan = world.grocery
    orphan.commune.epci = None
    orphan.commune.save()
    orphan.legal_form = None
    orphan.save()
    queryset = Initiative.objects.published().order_by("-name", "pk")
    template = "https://example.org/initiatives/__slug__/"

    expected = [export_row(initiative, template) for initiative in queryset]
    assert [expected_row(expected, orphan)[c] for c in ("legal_form", "epci")] == ["", ""]
    repair = expected_row(expected, world.repair)
    assert repair["low_tech_qualities"] == ["sobre-test"]
    assert repair["areas_served"] == ["z-alpha", "a-zebre", "metropole-test", "rhone-test"]
    built = []
    receiver = lambda sender, **kwargs: built.append(sender)  # noqa: E731
    post_init.connect(receiver)
    try:
        assert list(export_rows(queryset, template, chunk_size=2)) == expected
    finally:
        post_init.disconnect(receiver)
    assert Initiative not in built and Territory not in built


def expected_row(rows, initiative):
    return next(row for row in rows if row["slug"] == initiative.slug)
