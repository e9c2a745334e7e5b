"""Duplicate hints backed by an index: trigrams of the folded name (PostgreSQL).

``ssemap_fold_name(name)`` is the name in lower case without accents — ``unaccent`` with its
dictionary named, so the function can be IMMUTABLE and indexed — and a GIN ``gin_trgm_ops``
index on it serves the ``%`` (similar) and ``%>`` (contains the words) searches of
initiatives/duplicates.py. Nothing on SQLite, where the duplicate search bounds its candidates
by words instead.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ssemap_fold_name(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
CREATE INDEX IF NOT EXISTS initiative_name_trigram
    ON initiatives_initiative USING gin (ssemap_fold_name(name) gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS initiative_name_trigram;
DROP FUNCTION IF EXISTS ssemap_fold_name(text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0005_map_cells_covering_index"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forward, backward),
    ]
