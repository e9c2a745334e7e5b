"""Solution models counted per territory in the facet tallies (initiatives/tallies.py).

The tallies' triggers are created again now that the link table exists (it is in
``tallies.OTHER_LINKS``), and every link is counted once. SQLite: initiatives/triggers.py
creates them after migrate.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from initiatives import tallies

    tallies.create_triggers(schema_editor, recount=["facets"])


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0003_programme_membership"),
        ("initiatives", "0020_pair_tallies"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
