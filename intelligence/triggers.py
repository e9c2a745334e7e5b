"""The solution tables in the data versions, with the triggers of initiatives' migration 0010.

A write to a solution model or its levers and themes bumps ``ref`` (reference data); a write
to a solution's initiatives bumps the scopes of the published initiatives it touches, so the
cached territory figures (``comparison.py``) follow the links as they follow themes. On
PostgreSQL the triggers are created by this app's migration 0002; on SQLite after every
migrate, as initiatives/triggers.py explains (they name the initiative table).
"""

import importlib

from django.apps import apps as global_apps
from django.db import connections


def versions():
    return importlib.import_module("initiatives.migrations.0010_public_scoped_data_versions")


def watched_tables(apps):
    """(the initiative table, [the link table], [the reference tables]) in ``apps``' state."""
    solution = apps.get_model("intelligence", "Solution")
    link = apps.get_model("intelligence", "SolutionLink")._meta.db_table
    references = [solution._meta.db_table] + [
        solution._meta.get_field(name).remote_field.through._meta.db_table
        for name in ("levers", "themes")
    ]
    return apps.get_model("initiatives", "Initiative")._meta.db_table, [link], references


def create_postgresql_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    module = versions()
    _initiative, links, references = watched_tables(apps)
    for table in links:
        for operation, transition in module.PG_TRANSITIONS.items():
            schema_editor.execute(
                f"CREATE TRIGGER ssemap_public_version_{operation.lower()} AFTER {operation} "
                f"ON {table} {transition} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION ssemap_link_written()"
            )
    for table in references:
        schema_editor.execute(
            f"CREATE TRIGGER ssemap_public_version AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ssemap_reference_written()"
        )


def drop_postgresql_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _initiative, links, references = watched_tables(apps)
    for table in links:
        for operation in versions().PG_TRANSITIONS:
            name = f"ssemap_public_version_{operation.lower()}"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for table in references:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ssemap_public_version ON {table}")


def create_sqlite_triggers(using="default", **kwargs):
    """After ``migrate`` (a ``post_migrate`` receiver), on SQLite only."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.table_names()
    if "intelligence_solutionlink" not in tables or "initiatives_scopeversion" not in tables:
        return
    with connection.schema_editor(atomic=True) as schema_editor:
        # The initiative table's own triggers are created IF NOT EXISTS: already there.
        versions()._create_sqlite(schema_editor, *watched_tables(global_apps))
