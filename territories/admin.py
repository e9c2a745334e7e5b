from django.contrib import admin

from .models import Programme, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "epci_kind", "size_class", "population"]
    list_filter = ["kind", "epci_kind", "size_class", "programmes"]
    search_fields = ["name", "code", "postcodes"]
    filter_horizontal = ["programmes"]
    raw_id_fields = ["region", "department", "epci"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "slug"]
