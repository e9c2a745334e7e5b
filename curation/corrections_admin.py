"""The admin of suggested corrections: the diff with the published version, accept or refuse."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contributions import corrections
from initiatives.models import Correction, CorrectionStatus, Initiative

from .filters import CorrectionStatusFilter


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    change_form_template = "admin/initiatives/correction/change_form.html"
    list_display = ["initiative", "status", "from_owner", "fields_changed", "created_at"]
    list_filter = [CorrectionStatusFilter]
    search_fields = ["initiative__name", "message"]
    ordering = ["created_at"]
    fields = [
        "initiative_link",
        "status",
        "diff_table",
        "message",
        "submitter_name",
        "submitter_email",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("fields changed"))
    def fields_changed(self, obj):
        return ", ".join(
            str(Initiative._meta.get_field(f).verbose_name)
            for f in obj.proposed
            if f in corrections.CORRECTABLE_FIELDS
        )

    @admin.display(description=_("initiative"))
    def initiative_link(self, obj):
        url = reverse("admin:initiatives_initiative_change", args=[obj.initiative_id])
        return format_html('<a href="{}">{}</a>', url, obj.initiative)

    @admin.display(description=_("differences with the published version"))
    def diff_table(self, obj):
        # A conflict (a curator changed the field since the citizen saw it) is said in words.
        rows = corrections.diff(obj)
        return render_to_string("admin/initiatives/correction/diff_table.html", {"rows": rows})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_decide"] = bool(
            obj and obj.status == CorrectionStatus.PENDING and self.has_change_permission(request)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        decision = (
            corrections.accept
            if "_accept" in request.POST
            else corrections.refuse
            if "_refuse" in request.POST
            else None
        )
        if decision is None:
            return super().response_change(request, obj)
        try:
            decision(obj, by=request.user)
        except (corrections.CorrectionError, forms.ValidationError) as error:
            self.message_user(
                request, "; ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            _("The correction was accepted and applied.")
            if decision is corrections.accept
            else _("The correction was refused; the initiative is unchanged."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:initiatives_correction_changelist"))
