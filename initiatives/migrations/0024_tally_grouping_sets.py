"""The tallies' triggers count every territory level in one GROUPING SETS pass
(initiatives/tallies.py ``add``): the functions are written again, nothing is recounted
(the counts are the same)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from initiatives import tallies

    tallies.create_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0023_facet_tally_where")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
