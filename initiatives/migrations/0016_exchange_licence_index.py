from django.db import migrations, models


class Migration(migrations.Migration):
    """The few records under another licence than the default, indexed: whether a selection
    holds one (its licence, initiatives/licences.py) is an index probe, not a scan."""

    dependencies = [
        ('initiatives', '0015_freshness'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(condition=models.Q(('licence', 'etalab-2.0'), _negated=True), fields=['licence', 'status'], name='initiative_other_licence'),
        ),
    ]
