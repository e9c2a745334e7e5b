"""Administrators give partners their API tokens (shown once) and revoke them."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Partner, PartnerSubmission, PartnerToken


class PartnerTokenInline(admin.TabularInline):
    model = PartnerToken
    extra = 0
    fields = ["__str__", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # issued from the token admin, where the token is shown once


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email"]
    inlines = [PartnerTokenInline]

    # Partners and their tokens are the administrators' part of the admin, not the curators'.
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here: the full token is shown once, in the message after saving;
    only its hash is stored. A token is revoked, never edited."""

    list_display = ["__str__", "partner", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["partner", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["partner__name", "label", "lookup"]
    fields = ["partner", "label"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["partner", "label"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, text = PartnerToken.issue(obj.partner, obj.label)
        obj.pk = token.pk
        messages.warning(
            request,
            _(
                "The token of %(partner)s is: %(token)s — copy it now and send it safely: "
                "it is stored hashed and will never be shown again."
            )
            % {"partner": obj.partner, "token": text},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )


@admin.register(PartnerSubmission)
class PartnerSubmissionAdmin(admin.ModelAdmin):
    list_display = ["initiative", "partner", "created_at"]
    list_filter = ["partner"]
    list_select_related = ["initiative", "partner"]
    search_fields = ["initiative__name", "partner__name"]
    readonly_fields = ["partner", "token", "initiative", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
