"""The exchange in the admin: theme correspondences (editable), past imports, the import page."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import imports_admin
from .models import ImportRun, ThemeCorrespondence


@admin.register(ThemeCorrespondence)
class ThemeCorrespondenceAdmin(admin.ModelAdmin):
    list_display = ["label", "theme"]
    list_editable = ["theme"]
    list_filter = ["theme"]
    search_fields = ["label"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Past imports, read only; "Import a file" leads to the import page."""

    list_display = [
        "at", "source_name", "format", "file_name", "licence", "created", "updated",
        "unchanged", "duplicates", "rejected", "by",
    ]  # fmt: skip
    list_filter = ["format", "licence"]
    search_fields = ["source_name", "file_name"]
    change_list_template = "admin/exchange/importrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("initiatives.add_initiative") or super().has_view_permission(
            request, obj
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="exchange_importrun_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return imports_admin.import_file(self, request)

    import_view.short_description = _("Import a file")
