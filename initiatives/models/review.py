"""What happens to an initiative after it is sent: moderation decisions, suggested corrections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .initiative import Initiative, Status


class StatusChange(models.Model):
    """One moderation decision: who moved an initiative from which status to which, and why."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.initiative}: {self.from_status} → {self.to_status}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class Correction(models.Model):
    """A change to a published initiative suggested by anyone, applied only once accepted."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="corrections")
    proposed = models.JSONField(
        _("proposed values"), help_text=_("Field name → proposed value, for changed fields only.")
    )
    base = models.JSONField(
        _("values corrected"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Field name → fingerprint of the value the citizen saw, to flag a conflict when a "
            "curator changed that field since (contributions/corrections.py)."
        ),
    )
    message = models.TextField(_("message"), blank=True)
    # Sent through a signed link mailed to the initiative's listed address (freshness/): from
    # its own people. Still reviewed like any other.
    from_owner = models.BooleanField(_("from its own people"), default=False, editable=False)
    submitter_name = models.CharField(_("submitter's name"), max_length=120, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("suggested correction")
        verbose_name_plural = _("suggested corrections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CorrectionStatus.values), name="correction_status_valid"
            )
        ]

    def __str__(self):
        return f"{self.initiative} ({self.get_status_display()})"
