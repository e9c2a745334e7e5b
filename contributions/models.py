"""What contributions keep of their own: the attempts the rate limit counts."""

from django.db import models
from django.utils import timezone


class Attempt(models.Model):
    """One attempt of ``scope`` (a submission, a duplicate hint…) from one client address.

    In the database, not in the cache: shared by every worker and app server, never evicted by
    cache pressure, and counted atomically (contributions/ratelimit.py).
    """

    scope = models.CharField(max_length=20)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "address", "at"], name="attempt_scope_address_at"),
            models.Index(fields=["at"], name="attempt_at"),
        ]

    def __str__(self):
        return f"{self.scope} {self.address} {self.at:%Y-%m-%d %H:%M:%S}"
