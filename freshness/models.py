"""What freshness keeps: reminders sent, closures reported, initiatives claimed by their people.

The confirmation date itself is a column of the initiative (``confirmed_at``, with ``stale``),
since every page, the map and the caches read it.
"""

from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, InitiativeQuerySet


class Reminder(models.Model):
    """One "is it still accurate?" e-mail, for one confirmation date of one initiative.

    Unique on (initiative, the confirmation date it asks about): the command writes the row
    before queueing the e-mail, so running it twice, or twice at once, sends nothing twice.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmation date asked about"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    # One follow-up when nobody answered (FRESHNESS_FOLLOW_UP_AFTER_DAYS); set before it is
    # queued, by a conditional update, so it too is sent once.
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("freshness reminder")
        verbose_name_plural = _("freshness reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "confirmed_at"], name="freshness_one_reminder_per_date"
            )
        ]

    def __str__(self):
        return f"{self.initiative} ({self.sent_at:%Y-%m-%d})"


class ClosureReport(models.Model):
    """A report that it has closed, through a signed link: waits for a curator to archive it."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="closure_reports",
    )
    message = models.TextField(_("message"), blank=True)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["reported_at"]
        verbose_name = _("closure report")
        verbose_name_plural = _("closure reports")
        constraints = [
            # One open report per initiative: a second click adds nothing to the queue.
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(handled_at__isnull=True),
                name="freshness_one_open_closure_report",
            )
        ]

    def __str__(self):
        return str(self.initiative)


class Ownership(models.Model):
    """A claim ("this is my initiative") confirmed through a link sent to the listed address."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("address confirmed"))
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("claimed initiative")
        verbose_name_plural = _("claimed initiatives")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "email"], name="freshness_one_owner")
        ]

    def __str__(self):
        return str(self.initiative)


# What a reader would miss, each worth one point of the completeness score.
COMPLETENESS = {
    "contact": Q(contact_email__gt="") | Q(contact_phone__gt="") | Q(website__gt=""),
    "description": Q(description__gt=""),
    "hours": Q(opening_hours__gt=""),
    "image": Q(image__gt=""),
    "address": Q(address__gt=""),
    "organisation": Q(organisation__gt="") | Q(legal_form__isnull=False),
    "year": Q(year_started__isnull=False),
}


class FreshnessQuerySet(InitiativeQuerySet):
    def with_completeness(self):
        """``completeness``: how many of COMPLETENESS (plus levers) an entry has, 0 to 8."""
        levers = Initiative.levers.through.objects.filter(initiative_id=OuterRef("pk"))
        points = [Case(When(q, then=Value(1)), default=Value(0)) for q in COMPLETENESS.values()]
        points.append(Case(When(Exists(levers), then=Value(1)), default=Value(0)))
        total = points[0]
        for point in points[1:]:
            total = total + point
        return self.annotate(completeness=models.ExpressionWrapper(total, IntegerField()))

    def closure_reported(self):
        open_reports = ClosureReport.objects.filter(
            initiative=OuterRef("pk"), handled_at__isnull=True
        )
        return self.filter(Exists(open_reports))


class FreshnessEntry(Initiative):
    """The curators' view of initiatives by freshness: stale ones, closures reported, and how
    complete each entry is (a proxy: the same rows, its own admin list)."""

    objects = FreshnessQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("entry to keep up to date")
        verbose_name_plural = _("entries to keep up to date")


COMPLETENESS_MAX = len(COMPLETENESS) + 1
