from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionLever,
    CollaborativePractice,
    Correction,
    Initiative,
    LegalForm,
    LowTechQuality,
    StatusChange,
    TerritoryLever,
    Theme,
)


@admin.register(Theme, CollaborativePractice, LegalForm, LowTechQuality)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(ActionLever)
class ActionLeverAdmin(ReferenceAdmin):
    list_display = ["name_fr", "family", "slug", "position"]
    list_filter = ["family"]


@admin.register(TerritoryLever)
class TerritoryLeverAdmin(admin.ModelAdmin):
    list_display = ["territory", "lever", "since"]
    autocomplete_fields = ["territory"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "commune", "source", "created_at", "published_at"]
    list_filter = ["status", "source", "themes"]
    search_fields = ["name", "organisation", "commune__name"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["created_at", "updated_at", "published_at"]


admin.site.register(StatusChange)
admin.site.register(Correction)
