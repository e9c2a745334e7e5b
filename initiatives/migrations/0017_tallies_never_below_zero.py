"""The tally triggers again (initiatives/tallies.py): a subtraction no longer makes a row of -1
where the tallies were emptied first. PostgreSQL only; SQLite's are made after every migrate."""

from django.db import migrations


def forwards(apps, schema_editor):
    from initiatives import tallies

    if schema_editor.connection.vendor == "postgresql":
        for statement in tallies.postgresql_statements(schema_editor.connection):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0016_exchange_licence_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
