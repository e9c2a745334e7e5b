"""The areas an initiative serves, and the data versions that follow them.

A change of the areas served by a published initiative (or of such an initiative, or of its
other links) bumps, besides the scopes 0010 bumps, ``s:<id>`` of each territory it serves and of
that territory's region, department and intercommunality. The territory filter's "serving"
option keys on ``s:`` of the territory and of its containers (``caching.filter_scopes``): an
area inside the territory, the territory itself, or one containing it — the three relations
``InitiativeQuerySet.serving`` reads.
PostgreSQL: ``ssemap_initiative_scopes`` (0010) gains the served scopes, so the initiative's and
every link table's statement triggers carry them; the new link table gets its own. SQLite: row
triggers, created after every migrate by ``initiatives/triggers.py`` (see there why).
"""

import importlib

from django.db import migrations, models

TERRITORY_COLUMNS = ("id", "region_id", "department_id", "epci_id")


def _versions():
    return importlib.import_module("initiatives.migrations.0010_public_scoped_data_versions")


def _tables(apps):
    initiative = apps.get_model("initiatives", "Initiative")
    areas = initiative._meta.get_field("areas_served").remote_field.through._meta.db_table
    territory = apps.get_model("territories", "Territory")._meta.db_table
    return initiative._meta.db_table, areas, territory


def _served_array(territory):
    """SQL: the ``s:`` scopes of a row ``t`` of the territory table, as a PostgreSQL array."""
    return "ARRAY[" + ", ".join(f"'s:' || t.{c}" for c in TERRITORY_COLUMNS) + "]"


def _pg_functions(initiative, areas, territory):
    versions = _versions()
    scopes = ", ".join(versions._scope_expressions("r"))
    return f"""
CREATE OR REPLACE FUNCTION ssemap_initiative_scopes(r initiatives_initiative) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.status = 'published'
        THEN ARRAY[{scopes}] || ARRAY(
            SELECT unnest({_served_array(territory)}) FROM {areas} l
            JOIN {territory} t ON t.id = l.territory_id WHERE l.initiative_id = r.id)
        ELSE '{{}}'::text[] END
$$;

CREATE OR REPLACE FUNCTION ssemap_area_scopes(initiative_ids bigint[], territory_ids bigint[])
RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT array_agg(s) FROM (
        SELECT unnest(ssemap_initiative_scopes(i)) AS s FROM {initiative} i
        WHERE i.id = ANY(initiative_ids)
        UNION ALL
        SELECT unnest({_served_array(territory)})
        FROM unnest(initiative_ids, territory_ids) AS p(initiative_id, territory_id)
        JOIN {initiative} i ON i.id = p.initiative_id AND i.status = 'published'
        JOIN {territory} t ON t.id = p.territory_id
    ) AS u
$$;

CREATE OR REPLACE FUNCTION ssemap_area_link_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    scopes text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT ssemap_area_scopes(array_agg(initiative_id), array_agg(territory_id))
        INTO scopes FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT ssemap_area_scopes(array_agg(initiative_id), array_agg(territory_id))
        INTO scopes FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) AS r;
    ELSE
        SELECT ssemap_area_scopes(array_agg(initiative_id), array_agg(territory_id))
        INTO scopes FROM old_rows;
    END IF;
    PERFORM ssemap_bump_scopes(scopes);
    RETURN NULL;
END
$$;
"""


def _pg_old_scopes():
    versions = _versions()
    return f"""
CREATE OR REPLACE FUNCTION ssemap_initiative_scopes(r initiatives_initiative) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.status = 'published'
        THEN ARRAY[{", ".join(versions._scope_expressions("r"))}]
        ELSE '{{}}'::text[] END
$$;
DROP FUNCTION IF EXISTS ssemap_area_link_written();
DROP FUNCTION IF EXISTS ssemap_area_scopes(bigint[], bigint[]);
"""


def _sqlite_served(areas, territory, ids):
    """SQL: the ``s:`` scopes of every area served by the initiatives ``ids`` (column ``s``)."""
    return " UNION ".join(
        f"SELECT 's:' || t.{column} AS s FROM {areas} l JOIN {territory} t "
        f"ON t.id = l.territory_id WHERE l.initiative_id IN ({ids})"
        for column in TERRITORY_COLUMNS
    )


def create_sqlite(schema_editor, apps):
    """The SQLite triggers (called by ``initiatives/triggers.py`` after every migrate)."""
    versions = _versions()
    initiative, areas, territory = _tables(apps)
    _initiative, links, _references = versions._tables(apps)
    bump = versions._sqlite_bump
    # A published initiative with areas served: any change of it, or of its other links.
    served = _sqlite_served(areas, territory, "NEW.id")
    schema_editor.execute(
        f"CREATE TRIGGER IF NOT EXISTS ssemap_public_version_served_update "
        f"AFTER UPDATE ON {initiative} WHEN (OLD.status = 'published' OR NEW.status = "
        f"'published') AND EXISTS (SELECT 1 FROM {areas} WHERE initiative_id = NEW.id) "
        f"BEGIN {bump(served)} END"
    )
    for operation, rows in versions.SQLITE_ROWS.items():
        ids = ", ".join(f"{row}.initiative_id" for row in rows)
        published = f"SELECT 1 FROM {initiative} WHERE id IN ({ids}) AND status = 'published'"
        for table in links:
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS ssemap_public_version_served_{table}_"
                f"{operation.lower()} AFTER {operation} ON {table} WHEN EXISTS ({published}) "
                f"AND EXISTS (SELECT 1 FROM {areas} WHERE initiative_id IN ({ids})) "
                f"BEGIN {bump(_sqlite_served(areas, territory, ids))} END"
            )
        # The link itself: the initiative's scopes (as 0010 does for its links) and the
        # served scopes of the territories added or removed.
        linked = f"SELECT * FROM {initiative} WHERE id IN ({ids}) AND status = 'published'"
        territories = ", ".join(f"{row}.territory_id" for row in rows)
        select = " UNION ".join(
            [f"SELECT {e} AS s FROM ({linked}) AS i" for e in versions._scope_expressions("i")]
            + [
                f"SELECT 's:' || t.{column} AS s FROM {territory} t "
                f"WHERE t.id IN ({territories})"
                for column in TERRITORY_COLUMNS
            ]
        )
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS ssemap_public_version_{areas}_{operation.lower()} "
            f"AFTER {operation} ON {areas} WHEN EXISTS ({published}) BEGIN {bump(select)} END"
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: initiatives/triggers.py, after migrate
    initiative, areas, territory = _tables(apps)
    schema_editor.execute(_pg_functions(initiative, areas, territory))
    for operation, transition in _versions().PG_TRANSITIONS.items():
        schema_editor.execute(
            f"CREATE TRIGGER ssemap_public_version_{operation.lower()} AFTER {operation} "
            f"ON {areas} {transition} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION ssemap_area_link_written()"
        )


def backwards(apps, schema_editor):
    initiative, areas, territory = _tables(apps)
    if schema_editor.connection.vendor == "postgresql":
        for operation in _versions().PG_TRANSITIONS:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS ssemap_public_version_{operation.lower()} ON {areas}"
            )
        schema_editor.execute(_pg_old_scopes())
    # SQLite: initiatives/triggers.py drops every trigger before migrate applies anything, and
    # creates this migration's only while its table exists.


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0012_facet_tally_covering"),
        ("territories", "0002_outlines"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="areas_served",
            field=models.ManyToManyField(
                blank=True,
                help_text="The territories it serves beyond its own commune, if any.",
                related_name="+",
                to="territories.territory",
                verbose_name="areas served",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
