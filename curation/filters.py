"""The review queue's list filters: by status (pending first), region and size class."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from initiatives.models import CorrectionStatus, Status
from territories.models import SizeClass, Territory


class StatusFilter(admin.SimpleListFilter):
    """By status; with no choice made, the review queue (pending), so curators start there."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return Status.choices

    def value(self):
        return super().value() or Status.PENDING

    def choices(self, changelist):
        yield {
            "selected": self.value() == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


class RegionFilter(admin.SimpleListFilter):
    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(str(r.pk), r.name) for r in Territory.objects.regions().only("pk", "name")]

    def queryset(self, request, queryset):
        return queryset.filter(region_id=self.value()) if self.value() else queryset


class SizeClassFilter(admin.SimpleListFilter):
    title = _("size class")
    parameter_name = "size_class"

    def lookups(self, request, model_admin):
        return SizeClass.choices

    def queryset(self, request, queryset):
        return queryset.filter(commune__size_class=self.value()) if self.value() else queryset


class CorrectionStatusFilter(StatusFilter):
    def lookups(self, request, model_admin):
        return CorrectionStatus.choices

    def value(self):
        return admin.SimpleListFilter.value(self) or CorrectionStatus.PENDING
