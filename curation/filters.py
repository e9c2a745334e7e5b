"""The review queue's list filters: by status (pending first), region and size class."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from initiatives.models import CorrectionStatus, Status
from territories.models import SizeClass, Territory


class ChoiceFilter(admin.SimpleListFilter):
    """A list filter that accepts only its own choices: any other value (typed in the address)
    is an IncorrectLookupParameters, which the admin answers with its "invalid filter" page
    instead of passing it to the database."""

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in {str(choice) for choice, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(value)
        return self.filter(queryset, value)


class StatusFilter(ChoiceFilter):
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
        return super().queryset(request, queryset)

    def filter(self, queryset, value):
        return queryset.filter(status=value)


class RegionFilter(ChoiceFilter):
    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(str(r.pk), r.name) for r in Territory.objects.regions().only("pk", "name")]

    def filter(self, queryset, value):
        return queryset.filter(region_id=value)


class SizeClassFilter(ChoiceFilter):
    title = _("size class")
    parameter_name = "size_class"

    def lookups(self, request, model_admin):
        return SizeClass.choices

    def filter(self, queryset, value):
        return queryset.filter(commune__size_class=value)


class CorrectionStatusFilter(StatusFilter):
    def lookups(self, request, model_admin):
        return CorrectionStatus.choices

    def value(self):
        return admin.SimpleListFilter.value(self) or CorrectionStatus.PENDING
