"""The SQLite triggers that keep the data versions and the full-text index, out of migrations' way.

On SQLite, a migration that alters the initiative table rebuilds it (create a copy, drop the
table, rename the copy), and with ``legacy_alter_table`` off (Django's setting) the rename fails
while a trigger elsewhere names the table — the full-text index's commune trigger and the link
tables' version triggers do. So on SQLite these triggers live outside migrations: dropped before
``migrate`` applies anything, created again after it, when the full-text index is filled again
from the table and every data version moves (a data migration may have changed public data
while no trigger watched). Migrations 0009 and 0010 create the index and the version tables,
0011 the facet tallies (``tallies.py``), 0013 the areas served (whose versions it extends);
this module creates their triggers. PostgreSQL keeps triggers through ``ALTER TABLE``: its
triggers stay in migration 0010 and nothing here runs there.
"""

import importlib

from django.apps import apps as global_apps
from django.db import connections

PREFIXES = ("ssemap_public_version_", "initiatives_search_", "ssemap_tally_")


def _migration(name):
    return importlib.import_module(f"initiatives.migrations.{name}")


def _sqlite(using):
    connection = connections[using]
    return connection if connection.vendor == "sqlite" else None


def sqlite_trigger_names(using="default"):
    """The names of this module's triggers present in the database."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall() if name.startswith(PREFIXES)}


def drop_sqlite_triggers(plan=None, using="default", **kwargs):
    """Before ``migrate`` applies migrations (a ``pre_migrate`` receiver)."""
    connection = _sqlite(using)
    if connection is None or not plan:
        return
    names = sqlite_trigger_names(using)
    with connection.cursor() as cursor:
        for name in sorted(names):
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def create_sqlite_triggers(plan=None, using="default", **kwargs):
    """After ``migrate`` (a ``post_migrate`` receiver): the triggers, the index and versions."""
    connection = _sqlite(using)
    if connection is None:
        return
    tables = connection.introspection.table_names()
    if "initiatives_scopeversion" not in tables or "initiatives_search" not in tables:
        return  # migrated back before 0009 or 0010: nothing of theirs to keep
    from . import tallies

    search = _migration("0009_sqlite_fts5_search")
    versions = _migration("0010_public_scoped_data_versions")
    areas = _migration("0013_areas")
    areas_table = areas._tables(global_apps)[1]
    with connection.schema_editor(atomic=True) as schema_editor:
        if plan:
            # Whatever the migrations wrote while no trigger watched.
            schema_editor.execute(f"DELETE FROM {search.TABLE}")
            schema_editor.execute(search.FILL)
            schema_editor.execute("UPDATE initiatives_scopeversion SET version = version + 1")
            schema_editor.execute(versions.SQLITE_GLOBAL)
            if "initiatives_facettally" in tables:
                tallies.rebuild(connection)
        for statement in search.TRIGGERS:
            schema_editor.execute(statement)
        versions._create_sqlite(schema_editor, *versions._tables(global_apps))
        if "initiatives_facettally" in tables:
            for statement in tallies.sqlite_statements(connection):
                schema_editor.execute(statement)
        if areas_table in tables:  # not when migrated back before 0013
            areas.create_sqlite(schema_editor, global_apps)
