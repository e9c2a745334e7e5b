"""Map cell tallies (PostgreSQL): the tallies' trigger keeps them too, counted once here."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from initiatives import tallies

    tallies.create_triggers(schema_editor, recount=["cells"])


def without_cells(apps, schema_editor):
    """Migrating back: once the table is gone, the trigger that wrote to it is replaced."""
    from initiatives import tallies

    tallies.create_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0020_pair_tallies'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, without_cells),
        migrations.CreateModel(
            name='CellTally',
            fields=[
                ('pk', models.CompositePrimaryKey('level', 'cell_x', 'cell_y', blank=True, editable=False, primary_key=True, serialize=False)),
                ('level', models.SmallIntegerField()),
                ('cell_x', models.IntegerField()),
                ('cell_y', models.IntegerField()),
                ('n', models.IntegerField(default=0)),
                ('sum_lat', models.FloatField(default=0)),
                ('sum_lon', models.FloatField(default=0)),
                ('sum_id', models.BigIntegerField(default=0)),
                ('west', models.FloatField(null=True)),
                ('south', models.FloatField(null=True)),
                ('east', models.FloatField(null=True)),
                ('north', models.FloatField(null=True)),
            ],
            options={
                'verbose_name': 'map cell tally',
                'default_permissions': (),
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
