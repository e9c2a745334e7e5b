"""Loading many initiatives at once, without the triggers that keep their derived copies.

The memberships' copy and the tallies (memberships.py, tallies.py) are kept by triggers, row
by row and statement by statement: right for the day's writes, slow for a load of a million
rows, where each batch of links touches its initiatives again and every tally follows (the
1M benchmark database took 50 minutes to build that way, issue 11). A load inside
``loading`` runs with those triggers disabled, then copies the memberships and recounts
every tally once, set-based; ``insert`` writes the rows with ``COPY``.

``ALTER TABLE … DISABLE TRIGGER`` and ``DROP INDEX`` lock the tables until the transaction ends: this is for a
database nobody is using (``bench/build_db.sh``, ``load_demo --bulk``). Everything runs in
one transaction, so a load that fails or is killed leaves the triggers as they were.
SQLite keeps its triggers (``make run`` loads a few hundred rows).
"""

import queue
import threading
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

from . import memberships, tallies

# The triggers suspended: those that keep a derived copy, and those that bump the cache
# versions of the places written (per statement, each computing the scopes of its rows: once
# at the end instead). Not the search vector: a BEFORE trigger on the row itself.
SUSPENDED = ("ssemap\\_tally\\_%", "ssemap\\_memberships%", "ssemap\\_public\\_version%")


@contextmanager
def loading(connection=default_connection):
    """A bulk load of new initiatives: their derived copies' triggers off and their secondary
    indexes dropped meanwhile (each index built once at the end, sorted, rather than grown
    row by row: a quarter of a 1M load), then the copies and tallies recounted set-based."""
    if connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias):  # all or nothing, there too
            yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND (tgname LIKE %s OR tgname LIKE %s OR tgname LIKE %s) "
            "AND tgrelid::regclass::text LIKE 'initiatives\\_initiative%%' ORDER BY 1, 2",
            SUSPENDED,
        )
        triggers = cursor.fetchall()
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {memberships.TABLE}")
        (before,) = cursor.fetchone()  # the rows loaded come after: ids from the sequence
        # Not the unique ones (the primary key, the slug): they are constraints.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%' ORDER BY 1",
            [memberships.TABLE],
        )
        indexes = cursor.fetchall()
        # More memory for the sorts and groupings of the rebuild, for this transaction only.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # ALTER TABLE refuses a table with pending trigger events: the foreign keys, which
        # Django defers to the commit, are checked here instead (and again before enabling).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        yield
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)
        memberships.refresh(connection)
        tallies.rebuild(connection)
        # The cache versions of every place the new rows are in, once.
        cursor.execute(
            "SELECT ssemap_bump_scopes(ARRAY(SELECT DISTINCT s FROM "
            f"{memberships.TABLE} i, unnest(ssemap_initiative_scopes(i)) s WHERE i.id > %s))",
            [before],
        )
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys, as before


def pipelined(batches, insert, connection=default_connection):
    """Insert each batch of ``batches`` (an iterator that builds them) with ``insert(*batch)``,
    all inside ``loading``, in a second thread: this thread builds the next batch while the
    database writes the last one (in its own process on PostgreSQL, so both cores work; a
    1M load took twice as long one after the other). Nothing is committed unless every
    batch was built and written. SQLite, whose writers lock the file, does one after the
    other."""
    if connection.vendor != "postgresql":
        with loading(connection):
            for batch in batches:
                insert(*batch)
        return
    batches = iter(batches)
    first = next(batches, None)  # its reads come before the load locks the tables
    pending, failures = queue.Queue(maxsize=2), []

    def write():
        from django.db import connection  # this thread's own

        try:
            with loading(connection):
                while (batch := pending.get()) is not _DONE:
                    if batch is _ABANDON:
                        raise _Abandoned  # rolls the load back
                    insert(*batch)
        except _Abandoned:
            pass
        except BaseException as error:  # handed to the caller, below
            failures.append(error)
            while pending.get() not in (_DONE, _ABANDON):  # let the builder finish
                pass
        finally:
            connection.close()

    writer = threading.Thread(target=write, name="bulk-insert")
    writer.start()
    last = _ABANDON
    try:
        if first is not None:
            pending.put(first)
        for batch in batches:
            if failures:
                break
            pending.put(batch)
        last = _DONE
    finally:
        pending.put(last)
        writer.join()
    if failures:
        raise failures[0]


_DONE, _ABANDON = object(), object()


class _Abandoned(Exception):
    pass


# Field types whose value the driver takes as it is, with no auto-filled value on insert.
PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
    "EmailField",
}


def insert(model, objects, connection=default_connection):
    """Insert ``objects`` (unsaved instances of ``model``) and give them their ids:
    ``bulk_create``, or on PostgreSQL a ``COPY``, the ids drawn from the table's sequence
    first. Why: a ``bulk_create`` of 5,000 initiatives is one statement of 200,000
    parameters, which the driver and the server parse for seconds (half of a 1M load).
    Triggers fire on COPY as on INSERT; fields are prepared as ``bulk_create`` prepares them.
    """
    if connection.vendor != "postgresql" or not objects:
        return model.objects.bulk_create(objects, batch_size=5000)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated]
    if meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
    # Text, numbers and keys go to the driver as they are (what their preparation returns);
    # the others (dates, arrays, JSON) are prepared as bulk_create prepares them. For a
    # million rows, preparing forty fields each was the load's largest cost in Python.
    plain = [f.get_internal_type() in PLAIN for f in fields]
    _copy(
        meta.db_table,
        [f.column for f in fields],
        (
            [
                getattr(obj, f.attname)
                if is_plain
                else f.get_db_prep_save(f.pre_save(obj, True), connection)
                for f, is_plain in zip(fields, plain, strict=True)
            ]
            for obj in objects
        ),
        connection,
    )
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias
    return objects


def insert_values(model, columns, rows, connection=default_connection):
    """Insert ``rows`` of plain values for ``columns`` (a link table's ids): on PostgreSQL a
    ``COPY`` of the tuples themselves, with no model instance per row (for the 2.5 million
    links of a 1M load, building instances was a third of the time)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=5000
        )
        return
    meta = model._meta
    _copy(meta.db_table, [meta.get_field(name).column for name in columns], rows, connection)


def _copy(table, columns, rows, connection):
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
