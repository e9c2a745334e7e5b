"""The version of the public data, which every cache key and HTTP validator includes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row counting the changes to public data, bumped by database triggers (migration 0003).

    Triggers see every write — admin forms, bulk actions, ``QuerySet.update()``, imports — on
    initiatives, their many-to-many links, reference data and territories, so a cache keyed on
    this version (initiatives/caching.py) never serves stale data, in any worker.
    """

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("data version")
        default_permissions = ()

    def __str__(self):
        return f"{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
