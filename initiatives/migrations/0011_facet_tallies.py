"""Published initiatives counted per territory and facet value, kept by triggers.

PostgreSQL: the statement triggers of initiatives/tallies.py, created here. SQLite: row
triggers created after every migrate by initiatives/triggers.py (a trigger naming the
initiative table would make a later table rebuild fail). Both: counted once from the data.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from initiatives import tallies

    if schema_editor.connection.vendor == "postgresql":
        for statement in tallies.postgresql_statements(schema_editor.connection):
            schema_editor.execute(statement)
    tallies.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    from initiatives import tallies

    if schema_editor.connection.vendor == "postgresql":
        for statement in tallies.postgresql_drop_statements(schema_editor.connection):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0010_public_scoped_data_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetTally",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "territory_id",
                        "facet",
                        "value",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("territory_id", models.IntegerField()),
                ("facet", models.CharField(max_length=12)),
                ("value", models.CharField(blank=True, max_length=40)),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "facet tally",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
