"""Curation in the Django admin: the review queue, moderation, corrections, merges, imports."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from initiatives.duplicates import duplicates_of
from initiatives.models import (
    ActionLever,
    CollaborativePractice,
    Correction,
    Initiative,
    LegalForm,
    LowTechQuality,
    Status,
    StatusChange,
    TerritoryLever,
    Theme,
)

from . import views
from .filters import RegionFilter, SizeClassFilter, StatusFilter
from .forms import InitiativeAdminForm, MapPointWidget, RejectForm
from .merge import MergeError, merge, merged_values
from .moderation import TransitionError, allowed_targets, stored_status, transition


@admin.register(Theme, CollaborativePractice, LegalForm, LowTechQuality)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(ActionLever)
class ActionLeverAdmin(ReferenceAdmin):
    list_display = ["name_fr", "family", "slug", "position"]
    list_filter = ["family"]


@admin.register(TerritoryLever)
class TerritoryLeverAdmin(admin.ModelAdmin):
    list_display = ["territory", "lever", "since"]
    list_filter = ["lever"]
    search_fields = ["territory__name", "lever__name_fr", "text"]
    autocomplete_fields = ["territory", "lever"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("moderation decisions")

    def has_add_permission(self, request, obj=None):
        return False


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["link", "status", "created_at", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("correction"))
    def link(self, correction):
        url = reverse("admin:initiatives_correction_change", args=[correction.pk])
        return format_html('<a href="{}">#{}</a>', url, correction.pk)


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/initiatives/initiative/change_list.html"
    change_form_template = "admin/initiatives/initiative/change_form.html"
    form = InitiativeAdminForm
    list_display = [
        "name",
        "status_badge",
        "commune",
        "theme_list",
        "source",
        "created_at",
        "published_at",
        "possible_duplicates",
    ]
    list_filter = [StatusFilter, "themes", RegionFilter, SizeClassFilter, "source", "low_tech"]
    search_fields = ["name", "organisation", "commune__name"]
    autocomplete_fields = ["commune", "legal_form", "areas_served"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = ["status", "created_at", "updated_at", "published_at", "duplicates_panel"]
    date_hierarchy = "created_at"
    actions = ["publish_selected", "reject_selected", "archive_selected"]
    inlines = [StatusChangeInline, CorrectionInline]
    list_per_page = 50
    fieldsets = [
        (
            _("Moderation"),
            {
                "fields": [
                    "status",
                    "duplicates_panel",
                    "published_at",
                    "created_at",
                    "updated_at",
                    "edited_version",
                ]
            },
        ),
        (
            _("What it is"),
            {
                "fields": [
                    "name",
                    "slug",
                    "summary",
                    "description",
                    "organisation",
                    "legal_form",
                    "year_started",
                    "image",
                ]
            },
        ),
        (
            _("Classification"),
            {"fields": ["themes", "practices", "low_tech", "low_tech_qualities", "levers"]},
        ),
        (
            _("Place"),
            {
                "fields": [
                    "commune",
                    "areas_served",
                    "address",
                    "latitude",
                    "longitude",
                    "location_precision",
                ]
            },
        ),
        (_("Public contact"), {"fields": list(Initiative.CONTACT_FIELDS)}),
        (
            _("Provenance (private)"),
            {"fields": ["source", "source_reference", "submitter_name", "submitter_email"]},
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "longitude":
            kwargs["widget"] = MapPointWidget(attrs={"step": "any"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("commune", "commune__department")
            .prefetch_related("themes")
        )

    def get_ordering(self, request):
        # The review queue: oldest first, so nobody waits forever.
        if request.GET.get(StatusFilter.parameter_name, Status.PENDING) == Status.PENDING:
            return ["created_at"]
        return ["-created_at"]

    def get_changeform_initial_data(self, request):
        return {"source": "curator", **super().get_changeform_initial_data(request)}

    # -- columns
    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="status-badge status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("themes"))
    def theme_list(self, obj):
        return ", ".join(t.name for t in obj.themes.all())

    @admin.display(description=_("possible duplicates"))
    def possible_duplicates(self, obj):
        if obj.status != Status.PENDING:
            return ""
        found = duplicates_of(obj, limit=3)
        return format_html_join(
            ", ",
            '<a class="duplicate-flag" href="{}" title="{}">⚠ {}</a>',
            (
                (
                    reverse("admin:initiatives_initiative_change", args=[other.pk]),
                    f"{round(score * 100)} %",
                    other.name,
                )
                for other, score in found
            ),
        )

    @admin.display(description=_("possible duplicates"))
    def duplicates_panel(self, obj):
        if not obj.pk:
            return "—"
        found = duplicates_of(obj)
        if not found:
            return _("None found nearby.")
        rows = (
            (
                reverse("admin:initiatives_initiative_change", args=[other.pk]),
                other.name,
                other.commune,
                other.get_status_display(),
                round(score * 100),
                reverse("admin:initiatives_initiative_merge", args=[obj.pk, other.pk]),
                _("Merge this one into it…"),
            )
            for other, score in found
        )
        return format_html(
            '<ul class="duplicates-panel">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {} · {} · {} % <a class="button" href="{}">{}</a></li>',
                rows,
            ),
        )

    # -- moderation from the change form
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = (
            [(status, Status(status).label) for status in allowed_targets(obj.status)]
            if obj
            else []
        )
        adminform = context.get("adminform")
        context["conflicts"] = getattr(adminform.form, "conflicts", []) if adminform else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            # The form never sets the status, but a history revert hands over the old version
            # whole: the stored status and publication date stay, moderation alone moves them.
            stored = stored_status(obj)
            if stored and stored["status"] != obj.status:
                self.message_user(
                    request,
                    _(
                        "The status stays “%(status)s”: going back to an old version restores "
                        "its content, not its moderation decision. Change the status with the "
                        "moderation buttons."
                    )
                    % {"status": Status(stored["status"]).label},
                    messages.WARNING,
                )
            if stored:
                obj.status, obj.published_at = stored["status"], stored["published_at"]
        super().save_model(request, obj, form, change)
        target = request.POST.get("_transition")
        if change and target:
            try:
                transition(obj, target, by=request.user, reason=request.POST.get("_reason", ""))
            except (TransitionError, ValueError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“%(name)s” is now %(status)s.")
                    % {"name": obj.name, "status": obj.get_status_display()},
                    messages.SUCCESS,
                )

    # -- bulk actions
    def _bulk_transition(self, request, queryset, to_status, reason=""):
        done, failed = 0, []
        for initiative in queryset:
            try:
                transition(initiative, to_status, by=request.user, reason=reason)
                done += 1
            except TransitionError as error:
                failed.append(str(error))
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d initiative is now %(status)s.",
                    "%(count)d initiatives are now %(status)s.",
                    done,
                )
                % {"count": done, "status": Status(to_status).label},
                messages.SUCCESS,
            )
        for error in failed:
            self.message_user(request, error, messages.WARNING)

    @admin.action(description=_("Publish the selected initiatives"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._bulk_transition(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Archive the selected initiatives"), permissions=["change"])
    def archive_selected(self, request, queryset):
        self._bulk_transition(request, queryset, Status.ARCHIVED)

    @admin.action(description=_("Reject the selected initiatives…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        """An intermediate page asks for the reason, then rejects."""
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._bulk_transition(request, queryset, Status.REJECTED, form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject initiatives"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/initiatives/initiative/reject.html", context)

    # -- extra pages: merge and import
    def get_urls(self):
        extra = [
            path(
                "<int:pk>/merge/<int:other_pk>/",
                self.admin_site.admin_view(self.merge_view),
                name="initiatives_initiative_merge",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="initiatives_initiative_import",
            ),
        ]
        return extra + super().get_urls()

    def merge_view(self, request, pk, other_pk):
        """Fold initiative ``pk`` into ``other_pk`` (kept), after a confirmation page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        drop = get_object_or_404(Initiative, pk=pk)
        keep = get_object_or_404(Initiative, pk=other_pk)
        if keep.pk == drop.pk:
            self.message_user(
                request, _("An initiative cannot be merged into itself."), messages.ERROR
            )
            return HttpResponseRedirect(
                reverse("admin:initiatives_initiative_change", args=[drop.pk])
            )
        if request.method == "POST":
            try:
                merge(keep, drop, by=request.user)
            except (MergeError, TransitionError) as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:initiatives_initiative_change", args=[drop.pk])
                )
            self.message_user(
                request,
                _("“%(drop)s” was merged into “%(keep)s”.")
                % {"drop": drop.name, "keep": keep.name},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:initiatives_initiative_change", args=[keep.pk])
            )
        taken = merged_values(keep, drop)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge duplicates"),
            "opts": self.model._meta,
            "keep": keep,
            "drop": drop,
            "taken": [
                (Initiative._meta.get_field(f).verbose_name, getattr(keep, f), v)
                for f, v in taken.items()
            ],
        }
        return TemplateResponse(request, "admin/initiatives/initiative/merge.html", context)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        return views.import_initiatives(self, request)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """A read-only journal: decisions are made through the initiatives, never edited here."""

    list_display = ["initiative", "from_status", "to_status", "by", "at", "reason"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["initiative__name", "reason"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
