from django.contrib import admin

from .models import ProgrammeMembership, Solution, SolutionLink


class SolutionLinkInline(admin.TabularInline):
    """The initiatives that put the solution model into practice."""

    model = SolutionLink
    extra = 1
    fields = ["initiative", "generated"]
    readonly_fields = ["generated"]
    autocomplete_fields = ["initiative"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "slug", "position"]
    list_editable = ["position"]
    list_filter = ["themes", "levers"]
    search_fields = ["name_fr", "name_en", "slug", "keywords"]
    prepopulated_fields = {"slug": ["name_fr"]}
    filter_horizontal = ["levers", "themes"]
    inlines = [SolutionLinkInline]


@admin.register(SolutionLink)
class SolutionLinkAdmin(admin.ModelAdmin):
    """Every link between an initiative and a solution model, to find and fix them in bulk."""

    list_display = ["initiative", "solution", "generated"]
    list_filter = ["solution", "generated"]
    search_fields = ["initiative__name", "solution__name_fr"]
    autocomplete_fields = ["initiative"]
    list_select_related = ["initiative", "solution"]


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(admin.ModelAdmin):
    list_display = ["territory", "programme", "year", "source"]
    list_filter = ["programme", "year"]
    search_fields = ["territory__name", "territory__code"]
    raw_id_fields = ["territory"]
    list_select_related = ["territory", "programme"]
