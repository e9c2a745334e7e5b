"""The solution tables in the data versions (PostgreSQL; SQLite's come after every migrate)."""

from django.db import migrations

from intelligence.triggers import create_postgresql_triggers, drop_postgresql_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0001_initial"),
        ("initiatives", "0010_public_scoped_data_versions"),
    ]

    operations = [migrations.RunPython(create_postgresql_triggers, drop_postgresql_triggers)]
