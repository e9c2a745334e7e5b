"""Data versions that follow public data only, and one per part of it (territory, map square).

Replaces 0003's statement triggers (any write to a watched table bumped the one version):
- a write to an initiative bumps the versions only when the row is published before or after
  it, and then the global version (``DataVersion`` 1) and the scopes of the row before and
  after: ``t:<id>`` of its region, department, EPCI and commune, and ``g:<x>:<y>``, its map
  square at zoom 8 (``tile_x >> 16``). A pending submission, its links and its edits change
  nothing public, so no validator moves and no cache entry is dropped;
- a write to a link table does the same for the published initiatives it touches;
- a write to reference data or territories bumps the global version and ``ref``.
PostgreSQL: statement triggers with transition tables (one bump per statement, whatever the
number of rows). SQLite: row triggers.
"""

import importlib

import django.utils.timezone
from django.db import migrations, models

SCOPE_SHIFT = 16  # GRID_ZOOM 24 → zoom 8 (initiatives/caching.py: SCOPE_ZOOM)
TERRITORY_COLUMNS = ("region_id", "department_id", "epci_id", "commune_id")
LINKS = ("themes", "practices", "levers", "low_tech_qualities")
REFERENCES = ("Theme", "CollaborativePractice", "LegalForm", "LowTechQuality", "ActionLever")


def _tables(apps):
    initiative = apps.get_model("initiatives", "Initiative")
    links = [initiative._meta.get_field(n).remote_field.through._meta.db_table for n in LINKS]
    references = [apps.get_model("initiatives", m)._meta.db_table for m in REFERENCES]
    references.append(apps.get_model("territories", "Territory")._meta.db_table)
    return initiative._meta.db_table, links, references


def _scope_expressions(row):
    scopes = [f"'t:' || {row}.{column}" for column in TERRITORY_COLUMNS]
    scopes.append(
        f"'g:' || ({row}.tile_x >> {SCOPE_SHIFT}) || ':' || ({row}.tile_y >> {SCOPE_SHIFT})"
    )
    return scopes


PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION ssemap_bump_scopes(scopes text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF scopes IS NULL OR cardinality(scopes) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO initiatives_dataversion (id, version, changed_at)
    VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET version = initiatives_dataversion.version + 1, changed_at = clock_timestamp();
    -- In a fixed order, so that two writers never wait for each other's rows crosswise.
    INSERT INTO initiatives_scopeversion (scope, version, changed_at)
    SELECT s, 1, clock_timestamp() FROM (SELECT DISTINCT unnest(scopes) AS s) AS u
    WHERE s IS NOT NULL ORDER BY s
    ON CONFLICT (scope) DO UPDATE
        SET version = initiatives_scopeversion.version + 1, changed_at = clock_timestamp();
END
$$;

CREATE OR REPLACE FUNCTION ssemap_initiative_scopes(r initiatives_initiative) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.status = 'published'
        THEN ARRAY[{", ".join(_scope_expressions("r"))}]
        ELSE '{{}}'::text[] END
$$;

CREATE OR REPLACE FUNCTION ssemap_initiative_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    scopes text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(s) INTO scopes FROM new_rows r, unnest(ssemap_initiative_scopes(r)) s;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(s) INTO scopes FROM (
            SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows
        ) r, unnest(ssemap_initiative_scopes(r::initiatives_initiative)) s;
    ELSE
        SELECT array_agg(s) INTO scopes FROM old_rows r, unnest(ssemap_initiative_scopes(r)) s;
    END IF;
    PERFORM ssemap_bump_scopes(scopes);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION ssemap_link_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    scopes text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(s) INTO scopes FROM initiatives_initiative i,
            unnest(ssemap_initiative_scopes(i)) s
        WHERE i.id IN (SELECT initiative_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(s) INTO scopes FROM initiatives_initiative i,
            unnest(ssemap_initiative_scopes(i)) s
        WHERE i.id IN (SELECT initiative_id FROM old_rows
                       UNION SELECT initiative_id FROM new_rows);
    ELSE
        SELECT array_agg(s) INTO scopes FROM initiatives_initiative i,
            unnest(ssemap_initiative_scopes(i)) s
        WHERE i.id IN (SELECT initiative_id FROM old_rows);
    END IF;
    PERFORM ssemap_bump_scopes(scopes);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION ssemap_reference_written() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ssemap_bump_scopes(ARRAY['ref']);
    RETURN NULL;
END
$$;
"""
PG_TRANSITIONS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE_GLOBAL = f"""
INSERT INTO initiatives_dataversion (id, version, changed_at) VALUES (1, 1, {SQLITE_NOW})
ON CONFLICT (id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
"""


def _sqlite_bump(select):
    """Bump the global version and the scopes ``select`` yields (a column ``s``)."""
    return f"""{SQLITE_GLOBAL}
INSERT INTO initiatives_scopeversion (scope, version, changed_at)
SELECT s, 1, {SQLITE_NOW} FROM ({select}) WHERE s IS NOT NULL ORDER BY s
ON CONFLICT (scope) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
"""


SQLITE_ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def _create_sqlite(schema_editor, initiative, links, references):
    for operation, rows in SQLITE_ROWS.items():
        published = " OR ".join(f"{row}.status = 'published'" for row in rows)
        select = " UNION ".join(
            f"SELECT {expression} AS s WHERE {row}.status = 'published'"
            for row in rows
            for expression in _scope_expressions(row)
        )
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS ssemap_public_version_{operation.lower()} "
            f"AFTER {operation} ON {initiative} WHEN {published} BEGIN {_sqlite_bump(select)} END"
        )
        ids = ", ".join(f"{row}.initiative_id" for row in rows)
        linked = f"SELECT * FROM {initiative} WHERE id IN ({ids}) AND status = 'published'"
        select = " UNION ".join(
            f"SELECT {expression} AS s FROM ({linked}) AS i"
            for expression in _scope_expressions("i")
        )
        for table in links:
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS ssemap_public_version_{table}_{operation.lower()} "
                f"AFTER {operation} ON {table} WHEN EXISTS ({linked}) "
                f"BEGIN {_sqlite_bump(select)} END"
            )
        for table in references:
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS ssemap_public_version_{table}_{operation.lower()} "
                f"AFTER {operation} ON {table} BEGIN {_sqlite_bump("SELECT 'ref' AS s")} END"
            )


def _old():
    return importlib.import_module("initiatives.migrations.0003_scale_map_grid_search_version")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    initiative, links, references = _tables(apps)
    old = _old()
    if vendor == "postgresql":
        for table in old._watched_tables(apps):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ssemap_data_version ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS ssemap_bump_data_version()")
        schema_editor.execute(PG_FUNCTIONS)
        for table, function in [(initiative, "initiative")] + [(t, "link") for t in links]:
            for operation, transition in PG_TRANSITIONS.items():
                schema_editor.execute(
                    f"CREATE TRIGGER ssemap_public_version_{operation.lower()} AFTER {operation} "
                    f"ON {table} {transition} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION ssemap_{function}_written()"
                )
        for table in references:
            schema_editor.execute(
                f"CREATE TRIGGER ssemap_public_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ssemap_reference_written()"
            )
    elif vendor == "sqlite":
        for table in old._watched_tables(apps):
            for operation in ("insert", "update", "delete"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS ssemap_data_version_{table}_{operation}"
                )
        # The new triggers: created after every migrate by initiatives/triggers.py, since a
        # trigger naming the initiative table makes SQLite's table rebuild fail.
    ScopeVersion = apps.get_model("initiatives", "ScopeVersion")
    ScopeVersion.objects.get_or_create(scope="ref", defaults={"version": 1})


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    initiative, links, references = _tables(apps)
    old = _old()
    if vendor == "postgresql":
        for table in [initiative, *links]:
            for operation in PG_TRANSITIONS:
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS ssemap_public_version_{operation.lower()} ON {table}"
                )
        for table in references:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ssemap_public_version ON {table}")
        for function in ("initiative_written()", "link_written()", "reference_written()"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS ssemap_{function}")
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS ssemap_initiative_scopes(initiatives_initiative)"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS ssemap_bump_scopes(text[])")
        schema_editor.execute(old.PG_BUMP)
        for table in old._watched_tables(apps):
            schema_editor.execute(
                f"CREATE TRIGGER ssemap_data_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ssemap_bump_data_version()"
            )
    elif vendor == "sqlite":
        for table in [initiative, *links, *references]:
            for operation in SQLITE_ROWS:
                name = "ssemap_public_version_" + (
                    operation.lower() if table == initiative else f"{table}_{operation.lower()}"
                )
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in old._watched_tables(apps):
            for operation in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS ssemap_data_version_{table}_{operation.lower()} "
                    f"AFTER {operation} ON {table} BEGIN {old.SQLITE_BUMP} END"
                )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0009_sqlite_fts5_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScopeVersion",
            fields=[
                ("scope", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "data scope version",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
