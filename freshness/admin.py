"""The curators' lists: entries to keep up to date (stale first, closures reported, how
complete each is), closure reports, claimed initiatives, reminders sent.

Read-only lists with actions: archiving goes through ``curation.moderation.transition`` like
any status change; editing an entry stays on the initiative's own change page.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from curation.moderation import TransitionError, transition
from initiatives.models import Status

from . import owners
from .models import COMPLETENESS_MAX, ClosureReport, FreshnessEntry, Ownership, Reminder


def _initiative_link(initiative):
    url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    return format_html('<a href="{}">{}</a>', url, initiative.name)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.change_initiative")


def archive_closed(modeladmin, request, initiatives):
    """Archive ``initiatives`` (reported closed) and close their reports."""
    archived = 0
    for initiative in initiatives:
        try:
            transition(
                initiative,
                Status.ARCHIVED,
                by=request.user,
                reason=str(_("Reported closed by its people.")),
            )
        except TransitionError as error:
            modeladmin.message_user(request, f"{initiative}: {error}", messages.WARNING)
            continue
        archived += 1
    ClosureReport.objects.filter(initiative__in=initiatives, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )
    modeladmin.message_user(
        request,
        ngettext("%(n)s initiative archived.", "%(n)s initiatives archived.", archived)
        % {"n": archived},
    )


class FreshnessFilter(admin.SimpleListFilter):
    title = _("freshness")
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("Not confirmed for long (stale)")),
            ("due", _("Due for a reminder")),
            ("closed", _("Reported closed")),
            ("no_contact", _("No address to ask")),
            ("fresh", _("Confirmed recently")),
        ]

    def queryset(self, request, queryset):
        remind_before = timezone.now() - timedelta(days=settings.FRESHNESS_REMIND_AFTER_DAYS)
        value = self.value()
        if value == "stale":
            return queryset.filter(stale=True)
        if value == "due":
            return queryset.filter(confirmed_at__lt=remind_before, stale=False)
        if value == "closed":
            return queryset.closure_reported()
        if value == "no_contact":
            return queryset.filter(contact_email="")
        if value == "fresh":
            return queryset.filter(confirmed_at__gte=remind_before)
        return queryset


@admin.register(FreshnessEntry)
class FreshnessEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "entry",
        "commune",
        "confirmed_at",
        "stale",
        "closure_reported",
        "score",
    ]
    list_display_links = None
    list_filter = [FreshnessFilter]
    search_fields = ["name", "commune__name"]
    ordering = ["confirmed_at"]
    list_select_related = ["commune"]
    actions = ["archive", "mark_confirmed"]

    def get_queryset(self, request):
        open_reports = ClosureReport.objects.filter(
            initiative=OuterRef("pk"), handled_at__isnull=True
        )
        return (
            FreshnessEntry.objects.filter(status=Status.PUBLISHED)
            .with_completeness()
            .annotate(has_closure_report=Exists(open_reports))
        )

    @admin.display(description=_("initiative"), ordering="name")
    def entry(self, obj):
        return _initiative_link(obj)

    @admin.display(description=_("reported closed"), boolean=True, ordering="has_closure_report")
    def closure_reported(self, obj):
        return obj.has_closure_report

    @admin.display(description=_("completeness"), ordering="completeness")
    def score(self, obj):
        return f"{obj.completeness}/{COMPLETENESS_MAX}"

    @admin.action(description=_("Archive (it has closed)"), permissions=["moderate"])
    def archive(self, request, queryset):
        archive_closed(self, request, list(queryset))

    @admin.action(description=_("Mark as still accurate"), permissions=["moderate"])
    def mark_confirmed(self, request, queryset):
        for initiative in queryset:
            owners.confirm(initiative)
        self.message_user(request, _("Marked as confirmed today."))


@admin.register(ClosureReport)
class ClosureReportAdmin(ReadOnlyAdmin):
    list_display = ["entry", "message", "reported_at", "handled_at"]
    list_display_links = None
    list_filter = [("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["initiative"]
    actions = ["archive", "dismiss"]

    @admin.display(description=_("initiative"), ordering="initiative__name")
    def entry(self, obj):
        return _initiative_link(obj.initiative)

    @admin.action(description=_("Archive these initiatives"), permissions=["moderate"])
    def archive(self, request, queryset):
        archive_closed(self, request, [report.initiative for report in queryset])

    @admin.action(description=_("Dismiss (it is still open)"), permissions=["moderate"])
    def dismiss(self, request, queryset):
        queryset.filter(handled_at__isnull=True).update(handled_at=timezone.now())


@admin.register(Ownership)
class OwnershipAdmin(ReadOnlyAdmin):
    list_display = ["entry", "email", "confirmed_at"]
    list_select_related = ["initiative"]
    search_fields = ["initiative__name", "email"]

    @admin.display(description=_("initiative"), ordering="initiative__name")
    def entry(self, obj):
        return _initiative_link(obj.initiative)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["entry", "confirmed_at", "sent_at", "followed_up_at", "answered_at"]
    list_select_related = ["initiative"]

    @admin.display(description=_("initiative"), ordering="initiative__name")
    def entry(self, obj):
        return _initiative_link(obj.initiative)
