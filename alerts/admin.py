from django.contrib import admin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only: subscribers manage their subscription themselves, through their links."""

    list_display = ("email", "query", "frequency", "confirmed_at", "digest_since")
    list_filter = ("frequency", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    readonly_fields = ("email", "query", "frequency", "language", "created_at", "confirmed_at")
    fields = (*readonly_fields, "digest_since")

    def has_add_permission(self, request):
        return False
