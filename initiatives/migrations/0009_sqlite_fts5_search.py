"""SQLite's full-text index of initiatives (FTS5, case and accents folded), kept by triggers.

PostgreSQL has its own (``search_vector``, migration 0003): nothing is done there. The index
holds the searchable text of every initiative, whatever its status; the queryset it filters
decides what is public.
"""

from django.db import migrations

TABLE = "initiatives_search"
COLUMNS = "name, summary, organisation, description, commune"
ROW = (
    "{p}.name, {p}.summary, {p}.organisation, {p}.description, "
    "(SELECT name FROM territories_territory WHERE id = {p}.commune_id)"
)

FILL = (
    f"INSERT INTO {TABLE} (rowid, {COLUMNS}) "
    f"SELECT i.id, {ROW.format(p='i')} FROM initiatives_initiative i"
)
CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({COLUMNS}, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    FILL,
]
# Created after every migrate by initiatives/triggers.py, not here: a trigger naming the
# initiative table makes SQLite's table rebuild (a later AlterField) fail.
TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON initiatives_initiative BEGIN "
    f"INSERT INTO {TABLE} (rowid, {COLUMNS}) VALUES (new.id, {ROW.format(p='new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF "
    "name, summary, organisation, description, commune_id ON initiatives_initiative BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; "
    f"INSERT INTO {TABLE} (rowid, {COLUMNS}) VALUES (new.id, {ROW.format(p='new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON initiatives_initiative BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; END",
    # A renamed commune: its initiatives are found by the new name.
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_commune AFTER UPDATE OF name ON territories_territory "
    f"BEGIN DELETE FROM {TABLE} WHERE rowid IN "
    "(SELECT id FROM initiatives_initiative WHERE commune_id = new.id); "
    f"INSERT INTO {TABLE} (rowid, {COLUMNS}) SELECT i.id, {ROW.format(p='i')} "
    "FROM initiatives_initiative i WHERE i.commune_id = new.id; END",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_{name}"
    for name in ("insert", "update", "delete", "commune")
] + [f"DROP TABLE IF EXISTS {TABLE}"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("initiatives", "0008_location_precision"),
    ]

    operations = [migrations.RunPython(create, drop)]
