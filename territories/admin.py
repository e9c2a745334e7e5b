from django.contrib import admin

from initiatives.models import TerritoryLever

from .models import Programme, Territory


class TerritoryLeverInline(admin.StackedInline):
    """The action levers a territory uses, in its own words."""

    model = TerritoryLever
    extra = 0
    fields = ["lever", "text", "since", "source"]
    autocomplete_fields = ["lever"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "epci_kind", "size_class", "population"]
    list_filter = ["kind", "epci_kind", "size_class", "programmes"]
    search_fields = ["name", "code", "postcodes"]
    filter_horizontal = ["programmes"]
    raw_id_fields = ["region", "department", "epci"]
    inlines = [TerritoryLeverInline]

    def get_readonly_fields(self, request, obj=None):
        # The administrative map comes from open data: curators edit programmes and levers only.
        if request.user.is_superuser:
            return []
        return [f.name for f in Territory._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "slug"]
    search_fields = ["name_fr", "name_en"]
    prepopulated_fields = {"slug": ["name_fr"]}
