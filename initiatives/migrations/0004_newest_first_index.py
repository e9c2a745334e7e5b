"""PostgreSQL: an index that serves the directory's default order (newest first) directly.

The FilterSet orders by ``published_at DESC NULLS LAST, name, id``; the (status,
-published_at) index of 0001 sorts nulls first, so PostgreSQL sorted every published initiative
for each page. SQLite cannot declare NULLS LAST in an index and skips this.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS initiative_newest_first ON initiatives_initiative "
    "(status, published_at DESC NULLS LAST, name, id)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS initiative_newest_first")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_scale_map_grid_search_version")]

    operations = [migrations.RunPython(create, drop)]
