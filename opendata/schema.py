"""What the OpenAPI schema cannot guess from the directory's FilterSet: the types of its own
filters (an area, a place, a territory), given here rather than in initiatives/filters.py."""

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.utils import extend_schema_field

from initiatives.filters import InitiativeFilterSet

DIRECTORY_PARAMETERS = {
    "bbox": (
        "2.2,48.8,2.5,48.9",
        _("west,south,east,north in degrees (WGS 84)."),
    ),
    "near": (
        "69123",
        _(
            "a commune (INSEE code, slug, or name and department) or a position "
            "latitude,longitude; with sort=distance, the nearest first."
        ),
    ),
    "territory": (
        "metropole-de-lyon",
        _("the slug of a region, department, intercommunality or commune (/api/v1/territories/)."),
    ),
}


class DirectoryFilters(DjangoFilterExtension):
    """django-filter's schema extension, told the types of the directory's custom filters."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        known = DIRECTORY_PARAMETERS.get(field_name)
        if known and issubclass(filterset_class, InitiativeFilterSet):
            example, explanation = known
            schema = {
                "type": "string",
                "example": example,
                "description": _("%(label)s: %(explanation)s")
                % {"label": filter_field.label, "explanation": explanation},
            }
            # Annotated on a copy: the FilterSet itself stays as initiatives/ defines it.
            filter_field = extend_schema_field(schema)(copy.copy(filter_field))
        return super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
