"""Subscriptions to a directory view, kept only while they serve: an address is stored when
someone asks for a digest, deleted when they unsubscribe, or when they never confirmed it."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


def new_key():
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    email = models.EmailField(_("e-mail"))
    query = models.CharField(_("directory view"), max_length=2000, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(_("language"), max_length=8)
    # The secret the signed links name: never shown but in the subscriber's own mail.
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # What the next digest tells: initiatives published after this moment.
    digest_since = models.DateTimeField(_("news since"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="alerts_one_per_view")
        ]
        indexes = [models.Index(fields=["confirmed_at", "digest_since"])]

    def __str__(self):
        return f"{self.email} · {self.query or '—'}"

    @property
    def filterset(self):
        from .query import view_filterset  # the FilterSet's module needs the models loaded

        return view_filterset(self.query)
