"""What the OpenAPI schema cannot guess from the directory's FilterSet: the types of its own
filters (an area, a place, a territory), given here rather than in initiatives/filters.py."""

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.utils import extend_schema_field

from initiatives.filters import InitiativeFilterSet

# Name → (type, explanation). No "example" key: Swagger UI would fill them in at once, and a
# place, an area and a territory together rarely hold anything.
DIRECTORY_PARAMETERS = {
    "solution": ("string", _("the slug of a solution; repeat the parameter for several.")),
    "open_now": (
        "boolean",
        _("true: only the initiatives open at this moment, by their opening hours."),
    ),
    "bbox": (
        "string",
        _("west,south,east,north in degrees (WGS 84), for example 2.2,48.8,2.5,48.9."),
    ),
    "near": (
        "string",
        _(
            "a commune (INSEE code, slug, or name and department) or a position "
            "latitude,longitude; with sort=distance, the nearest first. For example 69123."
        ),
    ),
    "territory": (
        "string",
        _(
            "the slug of a region, department, intercommunality or commune "
            "(/api/v1/territories/), for example metropole-de-lyon."
        ),
    ),
}


class DirectoryFilters(DjangoFilterExtension):
    """django-filter's schema extension, told the types of the directory's custom filters,
    and kept from changing the FilterSet it describes."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        # On a copy: describing a filter builds its form field, which the filter then keeps,
        # with the messages of that moment and language; every later FilterSet would copy it.
        filter_field = copy.deepcopy(filter_field)
        known = DIRECTORY_PARAMETERS.get(field_name)
        if known and issubclass(filterset_class, InitiativeFilterSet):
            kind, explanation = known
            schema = {
                "type": kind,
                "description": _("%(label)s: %(explanation)s")
                % {"label": filter_field.label, "explanation": explanation},
            }
            filter_field = extend_schema_field(schema)(filter_field)
        return super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
