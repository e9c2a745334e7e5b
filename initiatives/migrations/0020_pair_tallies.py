"""Pair tallies (PostgreSQL): the tallies' trigger now keeps them too, counted once here."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from initiatives import tallies

    tallies.create_triggers(schema_editor, recount=["pairs"])


def without_pairs(apps, schema_editor):
    """Migrating back: once the table is gone, the trigger that wrote to it is replaced."""
    from initiatives import tallies

    tallies.create_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0019_memberships'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, without_pairs),
        migrations.CreateModel(
            name='PairTally',
            fields=[
                ('pk', models.CompositePrimaryKey('territory_id', 'given', 'facet', 'value', blank=True, editable=False, primary_key=True, serialize=False)),
                ('territory_id', models.IntegerField()),
                ('given', models.CharField(max_length=40)),
                ('facet', models.CharField(max_length=12)),
                ('value', models.CharField(blank=True, max_length=40)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'pair tally',
                'default_permissions': (),
                'indexes': [models.Index(fields=['territory_id', 'given', 'facet', 'value'], include=('n',), name='pair_tally_n')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
