"""The cell tallies gain levels 12 and 13 (a city's unfiltered map at zoom 10–11,
initiatives/tallies.py ``CELL_LEVELS``): the trigger functions are written again and the cells
recounted (seconds at a million initiatives)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from initiatives import tallies

    tallies.create_triggers(schema_editor, recount=["cells"])


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0024_tally_grouping_sets")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
