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


class ScopeVersion(models.Model):
    """A counter per part of the public data, bumped by the same triggers (migration 0006).

    A write to a *published* initiative (or to its links) bumps the scopes it lies in: each
    territory of its chain (``t:<id>`` of its region, department, EPCI and commune) and its
    map square (``g:<x>:<y>``, Web Mercator tiles at ``SCOPE_ZOOM``), before and after the
    write; reference data and territories bump ``ref``, which every scoped key includes. A
    cache entry for Lyon's results keys on Lyon's scope only, so a publish in Finistère leaves
    it in place, and writes to unpublished initiatives bump nothing.
    """

    scope = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("data scope version")
        default_permissions = ()

    def __str__(self):
        return f"{self.scope}: {self.version}"
