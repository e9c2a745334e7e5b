"""Loading many initiatives at once, without the triggers that keep their derived copies.

The memberships' copy and the tallies (memberships.py, tallies.py) are kept by triggers, row
by row and statement by statement: right for the day's writes, slow for a load of a million
rows, where each batch of links touches its initiatives again and every tally follows (the
1M benchmark database took 50 minutes to build that way, issue 11). A load inside
``triggers_off`` runs with those triggers disabled, then copies the memberships and recounts
every tally once, set-based.

``ALTER TABLE … DISABLE TRIGGER`` locks the tables until the transaction ends: this is for a
database nobody is using (``bench/build_db.sh``, ``load_demo --bulk``). Everything runs in
one transaction, so a load that fails or is killed leaves the triggers as they were.
SQLite keeps its triggers (``make run`` loads a few hundred rows).
"""

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

from . import memberships, tallies

# The triggers suspended: those that keep a derived copy, not the search vector (a BEFORE
# trigger on the row itself, as cheap in bulk) nor the public version (one per statement).
SUSPENDED = ("ssemap\\_tally\\_%", "ssemap\\_memberships%")


@contextmanager
def triggers_off(connection=default_connection):
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND (tgname LIKE %s OR tgname LIKE %s) ORDER BY 1, 2",
            SUSPENDED,
        )
        triggers = cursor.fetchall()
        # ALTER TABLE refuses a table with pending trigger events: the foreign keys, which
        # Django defers to the commit, are checked here instead (and again before enabling).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
        yield
        memberships.refresh(connection)
        tallies.rebuild(connection)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys, as before
