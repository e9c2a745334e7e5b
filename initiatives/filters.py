"""The one FilterSet behind the directory list, the map data and the exports.

Query parameters are slugs and repeat for several values, so a link reproduces a view:
``/initiatives/?theme=alimentation&theme=mobilite&territory=metropole-de-lyon&low_tech=1``.
Invalid input never raises: the form collects the errors and the views answer 400 with them.
"""

import re
from typing import NamedTuple

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from territories.forms import CommuneField
from territories.models import Kind, SizeClass, Territory

from . import caching, hours, memberships, tallies
from .geo import BBox, distance_from
from .models import EVERYWHERE, Initiative, LegalForm
from .search import name_sort_key, search

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
# Parameters that shape a view (which page, in which order, measured from where, how close)
# but never narrow its results: facet counts, result counts and exports ignore them.
NOT_FILTERING = ("page", "sort", "near", "zoom")
# The filters ``FilteredCellTally`` counts the map's cells by (tally_filtered_cells).
FILTERED_CELL_FILTERS = ("theme", "size_class", "low_tech", "legal_form")


class Sort:
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "newest"
    DISTANCE = "distance"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (NAME, _("Name")),
        (NEWEST, _("Newest")),
        (DISTANCE, _("Distance")),
    ]


class BBoxField(forms.CharField):
    """``W,S,E,N`` in degrees (WGS 84), as Leaflet's ``getBounds().toBBoxString()`` writes it."""

    default_error_messages = {
        "invalid": _(
            "The area must be four numbers west,south,east,north in degrees, "
            "for example 2.2,48.8,2.5,48.9."
        ),
        "range": _(
            "The area is out of range: longitudes go from -180 to 180, latitudes from -90 "
            "to 90, west must be less than east and south less than north."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            west, south, east, north = (float(part) for part in parts)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        numbers = (west, south, east, north)
        if any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        # Leaflet may report a view wider than the world: clamp rather than refuse.
        west, east = max(west, -180.0), min(east, 180.0)
        south, north = max(south, -90.0), min(north, 90.0)
        if west >= east or south >= north:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return BBox(west, south, east, north)


class DirectoryForm(forms.Form):
    """The FilterSet's form: the filters, plus the page number, validated with them once."""

    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("The page number must be a whole number from 1."),
            "min_value": _("The page number must be a whole number from 1."),
            "max_value": _("The page number is too large."),
        },
    )


class SlugMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    """Several reference objects given by slug, any of them matching, offered as checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            # Built per FilterSet, so in the language of the request: the message names the
            # filter and the unknown value.
            unknown = {"label": self.label}
            self.extra["error_messages"] = {
                "invalid_choice": _("Unknown value in “%(label)s”: “%%(value)s”.") % unknown,
                "invalid_pk_value": _("Unknown value in “%(label)s”: “%%(pk)s”.") % unknown,
            }
        return super().field


class ClassificationFilter(SlugMultipleChoiceFilter):
    """Initiatives with any of the chosen values of the many-to-many ``field_name``."""

    def __init__(self, field_name, **kwargs):
        model = Initiative._meta.get_field(field_name).related_model
        super().__init__(field_name=field_name, queryset=model.objects.all(), **kwargs)

    def filter(self, qs, value):
        return qs.with_any(self.field_name, [obj.pk for obj in value])


class OpenNowField(forms.BooleanField):
    """Ticked: the moment "open now" is asked at (``hours.current_slot``), so the results'
    cache keys and ETags change with it; unticked: None."""

    def clean(self, value):
        return hours.current_slot() if super().clean(value) else None


class OpenNowFilter(filters.Filter):
    field_class = OpenNowField


class BBoxFilter(filters.Filter):
    field_class = BBoxField


POSITION = re.compile(r"^\s*(-?\d{1,2}(?:\.\d{1,6})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,6})?)\s*$")


class Position(NamedTuple):
    """A place given as coordinates (the "Near me" button), rounded to about 100 m."""

    latitude: float
    longitude: float

    def __str__(self):
        return str(_("your position"))


class NearField(CommuneField):
    """A commune, or a position ``lat,lon`` from the browser's geolocation ("Near me")."""

    def clean(self, value):
        match = POSITION.match(value or "")
        if not match:
            return super().clean(value)
        latitude, longitude = float(match[1]), float(match[2])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(_("This position is not on the Earth."), code="invalid")
        # Rounded: the address bar and the cache keys never hold a precise position.
        return Position(round(latitude, 3), round(longitude, 3))


class NearFilter(filters.Filter):
    field_class = NearField


class InitiativeFilterSet(filters.FilterSet):
    q = filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=MAX_QUERY_LENGTH, strip=True
    )
    theme = ClassificationFilter("themes", label=_("Themes"))
    practice = ClassificationFilter("practices", label=_("Collaborative practices"))
    lever = ClassificationFilter("levers", label=_("Action levers"))
    # Solution models (intelligence app) link to initiatives from their side.
    solution = SlugMultipleChoiceFilter(
        label=_("Solution models"),
        queryset=Initiative.solutions.rel.related_model.objects.all(),
        method="filter_solution",
    )
    legal_form = SlugMultipleChoiceFilter(
        label=_("Legal forms"),
        queryset=LegalForm.objects.all(),
        method="filter_legal_form",
    )
    size_class = filters.MultipleChoiceFilter(
        label=_("Size of the commune"),
        choices=SizeClass.choices,
        method="filter_size_class",
        widget=forms.CheckboxSelectMultiple,
    )
    low_tech = filters.BooleanFilter(
        label=_("Low-tech only"), method="filter_low_tech", widget=forms.CheckboxInput
    )
    open_now = OpenNowFilter(
        label=_("Open now"), method="filter_open_now", widget=forms.CheckboxInput
    )
    territory = filters.ModelChoiceFilter(
        label=_("Territory"),
        queryset=Territory.objects.select_related("department"),
        to_field_name="slug",
        method="filter_territory",
        null_label=None,
    )
    serving = filters.BooleanFilter(
        label=_("Include the initiatives that serve this territory"),
        method="noop",  # read by filter_territory: it widens the territory filter
        widget=forms.CheckboxInput,
    )
    bbox = BBoxFilter(label=_("Area"), method="filter_bbox")
    near = NearFilter(label=_("Near the commune"), method="noop", placed=True)
    sort = filters.ChoiceFilter(
        label=_("Sort by"), choices=Sort.CHOICES, method="noop", empty_label=None
    )

    # The facets: filters whose options show how many results each would give.
    FACETS = ("theme", "practice", "lever", "legal_form", "size_class", "low_tech", "open_now")

    class Meta:
        model = Initiative
        fields = []
        form = DirectoryForm

    def __init__(self, data=None, queryset=None, **kwargs):
        # The tallies count published initiatives: they stand for this queryset only.
        self.counts_published = queryset is None
        if queryset is None:
            queryset = Initiative.objects.published()
        super().__init__(data, queryset, **kwargs)
        self.filters["territory"].extra["error_messages"] = {
            "invalid_choice": _("Unknown territory.")
        }
        self.filters["sort"].extra["error_messages"] = {"invalid_choice": _("Unknown sort order.")}
        self.filters["size_class"].extra["error_messages"] = {
            "invalid_choice": _("Unknown size class: “%(value)s”.")
        }

    # -- filtering ----------------------------------------------------------------------------

    def filter_queryset(self, queryset, exclude=()):
        """Apply every valid filter except those named in ``exclude``."""
        for name, value in self.form.cleaned_data.items():
            # An empty multiple choice is an empty queryset, which method filters would apply.
            if name in self.filters and name not in exclude and _given(value):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def qs(self):
        """The filtered results, ordered as asked; nothing at all when a parameter is invalid."""
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.form.is_valid():
                self._qs = self.queryset.none()
            else:
                self._qs = self.order(self.filter_queryset(self.queryset.all()))
        return self._qs

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_legal_form(self, queryset, name, value):
        return queryset.filter(legal_form__in=value)

    def filter_solution(self, queryset, name, value):
        links = Initiative.solutions.through.objects.filter(
            initiative_id=OuterRef("pk"), solution__in=value
        )
        return queryset.filter(Exists(links))

    def filter_size_class(self, queryset, name, value):
        return queryset.of_size(value)

    def filter_low_tech(self, queryset, name, value):
        return queryset.low_tech() if value else queryset

    def filter_open_now(self, queryset, name, value):
        return queryset.open_at(value, texts=self.open_texts(value))

    def open_texts(self, moment):
        """The hours texts open at ``moment`` among all published initiatives: evaluated once
        per quarter hour and data version, then shared by the results and every facet."""
        if getattr(self, "_open_texts", (None,))[0] != moment:
            texts = caching.cached(
                "open-texts",
                [moment.isoformat()],
                lambda: Initiative.objects.published().open_texts(moment),
            )
            self._open_texts = (moment, texts)
        return self._open_texts[1]

    def filter_territory(self, queryset, name, value):
        if self.form.cleaned_data.get("serving"):
            return queryset.in_or_serving(value)
        return queryset.in_territory(value)

    def filter_bbox(self, queryset, name, value):
        return queryset.filter(
            longitude__gte=value.west,
            longitude__lte=value.east,
            latitude__gte=value.south,
            latitude__lte=value.north,
        )

    def noop(self, queryset, name, value):
        return queryset

    # -- ordering -----------------------------------------------------------------------------

    @property
    def cleaned(self):
        return self.form.cleaned_data if self.form.is_valid() else {}

    def default_sort(self):
        """The order used when none is asked for (or the one asked for cannot apply)."""
        # Without a query, the newest first: it follows an index, and shows what is new.
        return Sort.RELEVANCE if self.cleaned.get("q") else Sort.NEWEST

    def effective_sort(self):
        """The sort in force: relevance needs a query, distance a commune."""
        data = self.cleaned
        sort = data.get("sort") or ""
        if sort == Sort.DISTANCE and data.get("near"):
            return Sort.DISTANCE
        if sort in (Sort.NAME, Sort.NEWEST):
            return sort
        return self.default_sort()

    def order(self, queryset):
        sort = self.effective_sort()
        if sort == Sort.RELEVANCE:
            return queryset.order_by("-rank", "name", "pk")
        if sort == Sort.NEWEST:
            return queryset.order_by(F("published_at").desc(nulls_last=True), "name", "pk")
        if sort == Sort.DISTANCE:
            near = self.cleaned["near"]
            return queryset.annotate(
                distance=distance_from(near.latitude, near.longitude)
            ).order_by("distance", "name", "pk")
        return queryset.order_by(name_sort_key(), "pk")

    # -- facets -------------------------------------------------------------------------------

    def tally_territory(self, *without):
        """Where the tallies hold the counts of the results without ``without``, or None.

        ``FacetTally`` counts published initiatives per territory: it answers when no filter
        other than the territory (and ``without``) applies — the territory's id, or
        ``EVERYWHERE`` — and a grouped query over the results must answer otherwise.
        """
        if not self.counts_published or (self.is_bound and not self.form.is_valid()):
            return None
        data = self.form.cleaned_data if self.is_bound else {}
        active = {
            name
            for name, value in data.items()
            if name in self.filters
            and name not in NOT_FILTERING
            and name not in without
            and _given(value)
        }
        if "territory" not in active:
            active.discard("serving")  # it widens the territory filter only: nothing without
        if active - {"territory"}:
            return None
        return data["territory"].pk if "territory" in active else EVERYWHERE

    def tally_filtered_cells(self, *without):
        """The filters the filtered cell tallies answer a map of France with: ``{column of
        FilteredCellTally: value}`` when only themes, size classes, low-tech and legal forms
        filter (besides ``without``), on PostgreSQL; else None (no filter: ``CellTally``)."""
        if not (self.counts_published and memberships.stored(self.queryset)):
            return None
        if self.tally_territory(*without, *FILTERED_CELL_FILTERS) != EVERYWHERE:
            return None
        given = {name: self.cleaned[name] for name in FILTERED_CELL_FILTERS if self.given(name)}
        if not given:
            return None
        picked = {
            "theme": lambda themes: ("theme_ids", [theme.pk for theme in themes]),
            "size_class": lambda codes: ("size_class", list(codes)),
            "low_tech": lambda value: ("low_tech", True),
            "legal_form": lambda forms: ("legal_form", [form.pk for form in forms]),
        }
        return dict(picked[name](value) for name, value in given.items())

    def tally_pair(self, *without):
        """Where the pair tallies hold the counts of the results without ``without``:
        ``(territory id, given, facet)`` when one facet filter with a single value applies
        besides the territory (a region, department or EPCI, or none), on PostgreSQL; else
        None."""
        if not (self.counts_published and memberships.stored(self.queryset)):
            return None
        applied = (name for name in tallies.PAIR_GIVEN if name not in without and self.given(name))
        name = next(applied, None)
        where = name and self.tally_territory(name, *without)
        territory = self.cleaned.get("territory")
        if where is None or (territory and territory.kind == Kind.COMMUNE):
            return None
        if name == "low_tech":
            return where, "low_tech:", name
        values = list(self.cleaned[name])
        if len(values) != 1:  # any of several: an initiative may have both
            return None
        return where, f"{name}:{getattr(values[0], 'pk', values[0])}", name

    def given(self, name):
        """Whether the filter ``name`` narrows the results (a valid value was given)."""
        return self.is_valid() and _given(self.form.cleaned_data.get(name))

    def queryset_without(self, *names):
        """The results with every filter applied except ``names`` (for facet counts)."""
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return self.filter_queryset(self.queryset.all(), exclude=names)


def _given(value):
    if hasattr(value, "query"):  # a queryset from a model multiple choice field
        return value.exists() if value._result_cache is None else bool(value._result_cache)
    return value not in (None, "", [], (), False)
