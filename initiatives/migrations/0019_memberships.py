"""The memberships' copy on the initiative row, kept by triggers (initiatives/memberships.py).

PostgreSQL: the triggers are created, every row copied once, then the map grid's covering
index is built again with the copy in it (after the copy, so built once). The tallies' update
trigger is replaced by one that skips rows whose counted columns did not change: touching a
row's copy costs them nothing. SQLite keeps no copy: the columns stay NULL.
"""

import initiatives.models.memberships
from django.db import migrations, models


def forwards(apps, schema_editor):
    from initiatives import memberships, tallies

    tallies.create_triggers(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        for statement in memberships.postgresql_statements():
            schema_editor.execute(statement)
        memberships.refresh(schema_editor.connection)


def backwards(apps, schema_editor):
    from initiatives import memberships

    if schema_editor.connection.vendor == "postgresql":
        for statement in memberships.postgresql_drop_statements():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0018_hours_index"),
        ("territories", "0002_outlines"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="initiative",
            name="initiative_map_cells",
        ),
        migrations.AddField(
            model_name="initiative",
            name="lever_ids",
            field=initiatives.models.memberships.IdArray(
                base_field=models.IntegerField(), blank=True, editable=False, null=True
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="practice_ids",
            field=initiatives.models.memberships.IdArray(
                base_field=models.IntegerField(), blank=True, editable=False, null=True
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="size_class",
            field=models.CharField(blank=True, default="", editable=False, max_length=12),
        ),
        migrations.AddField(
            model_name="initiative",
            name="theme_ids",
            field=initiatives.models.memberships.IdArray(
                base_field=models.IntegerField(), blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                fields=["status", "tile_x", "tile_y", "latitude", "longitude", "id"],
                include=(
                    "low_tech",
                    "legal_form",
                    "commune",
                    "epci",
                    "department",
                    "region",
                    "theme_ids",
                    "practice_ids",
                    "lever_ids",
                    "size_class",
                ),
                name="initiative_map_cells",
            ),
        ),
    ]
