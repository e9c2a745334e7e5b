"""What the directory page shows around the FilterSet: facet options with counts, chips.

Facet counts follow the usual rule of faceted search: each facet counts its options with
every *other* filter applied, so ticking one more theme never makes the other themes vanish.
Where no other filter than the territory applies, the counts are read from the tallies the
database keeps (``FacetTally``); otherwise one grouped query per facet.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from territories.models import EpciKind, Kind, Outline, SizeClass, Territory

from . import caching, hours
from .filters import NOT_FILTERING, Sort
from .models import (
    TERRITORY_COLUMN,
    ActionLever,
    CollaborativePractice,
    FacetTally,
    Initiative,
    LegalForm,
    PairTally,
    Theme,
)

# What ``facet_counts`` counts besides hours and areas served: the facets and the results.
COUNTED = ("theme", "practice", "lever", "legal_form", "size_class", "low_tech", "total")
PAGE_SIZE = 20  # initiatives per page of results


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def disabled(self):
        """An option that would give nothing (and is not already chosen)."""
        return self.count == 0 and not self.selected


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)

    @property
    def selected_count(self):
        return sum(1 for option in self.options if option.selected)


@dataclass
class Chip:
    label: str
    remove_url: str


def reference_list(model):
    """All the themes (practices, …) in order, cached until reference data changes."""
    return caching.cached(
        "reference",
        [model._meta.label],
        lambda: tuple(model.objects.all()),
        scopes=[],
        in_process=True,
    )


class Directory:
    """The directory around one FilterSet (built by the view): facets, chips, map bounds."""

    def __init__(self, filterset, base_url):
        self.filterset = filterset
        self.params = filterset.data
        self.base_url = base_url

    @property
    def is_valid(self):
        return self.filterset.is_valid()

    @property
    def errors(self):
        """Messages about the parameters that could not be understood."""
        return [message for messages in self.filterset.form.errors.values() for message in messages]

    @property
    def results(self):
        return self.filterset.qs

    @property
    def cleaned(self):
        return self.filterset.cleaned

    @property
    def form_cache_key(self):
        """What the filters form shows depends on: the values given to its fields (it renders
        them as given), the page excepted, and the data."""
        return caching.cache_key(
            "filters-form",
            caching.version_for(self.scopes)[0],
            caching.raw_filter_key(self.filterset, exclude=("page",)),
            hours.current_slot().isoformat(),  # the "open now" count changes with the time
        )

    @property
    def scopes(self):
        """The parts of the data the results lie in (the territory, the area), or None."""
        return caching.filter_scopes(self.filterset) if self.is_valid else None

    @property
    def results_key(self):
        """The validated filters the results depend on (not their order, nor the page)."""
        return caching.filter_key(self.filterset, exclude=NOT_FILTERING)

    @property
    def has_filters(self):
        return any(
            self.params.getlist(name)
            for name in self.filterset.filters
            if name not in NOT_FILTERING
        )

    # -- facets -------------------------------------------------------------------------------

    def facet_counts(self):
        """Every facet's counts: one query per facet, cached on the query and the data version."""
        filterset = self.filterset

        territory = self.cleaned.get("territory")

        def compute():
            # Where only the territory filters (or nothing), the tallies hold a facet's counts:
            # one index read for the facets that share a territory.
            tallied = {}
            for name in COUNTED:
                where = filterset.tally_territory(name)
                if where is not None:
                    tallied.setdefault(where, []).append(name)
            counts = {}
            for where, names in tallied.items():
                counts.update(FacetTally.objects.counts(where, names))
            # One facet filter with one value: the pair tallies hold the other facets (PostgreSQL).
            pair = filterset.tally_pair()
            if pair is not None:
                where, given, own = pair
                wanted = [name for name in COUNTED if name not in counts and name != own]
                counts.update(PairTally.objects.counts(where, given, wanted))
            # The others are counted among the results without the facet's own filter: the
            # facets whose filter is not in use share the results themselves, so one pass over
            # them (PostgreSQL) counts them all, and one more per facet in use, unless the
            # pair tallies hold it.
            passes = {}
            for name in COUNTED:
                if name in counts:
                    continue
                own = name if filterset.given(name) else None
                # Without its own filter, one facet filter with one value may remain: the
                # pair tallies hold that facet too (a theme, given low-tech, in a region).
                pair = own and filterset.tally_pair(own)
                if pair:
                    counts.update(PairTally.objects.counts(pair[0], pair[1], [name]))
                else:
                    passes.setdefault(own, []).append(name)
            for own, names in passes.items():
                if own is None and self.ranks_first_page:
                    # A search: its first page by relevance comes out of the same pass.
                    found, self._first_pks = self.results.facet_counts_and_first(names, PAGE_SIZE)
                    counts.update(found)
                    continue
                without = (own,) if own else ()
                counts.update(filterset.queryset_without(*without).facet_counts(names))
            counts["low_tech"] = counts["low_tech"].get("", 0)
            counts["total"] = counts["total"].get("", 0)
            if territory is not None:
                # What the "serving" option adds: initiatives serving it, located elsewhere.
                others = filterset.queryset_without("territory", "serving").exclude(
                    pk__in=Initiative.objects.in_territory(territory).values("pk")
                )
                counts["serving"] = others.serving(territory).count()
            # Hours are text read in Python (initiatives/hours.py): counted among the results.
            texts = filterset.open_texts(slot)
            counts["open_now"] = (
                filterset.queryset_without("open_now").open_at(slot, texts=texts).count()
            )
            return counts

        slot = hours.current_slot()
        parts = [self.results_key, slot.isoformat()]
        if getattr(self, "_facet_counts", (None,))[0] != slot:
            # Kept for the request: the paginator reads its total here, even with no cache.
            self._facet_counts = (
                slot,
                caching.cached("facets", parts, compute, scopes=self.scopes),
            )
        return self._facet_counts[1]

    @property
    def ranks_first_page(self):
        """Whether the first page of a search by relevance is asked (see ``facet_counts``)."""
        first = (self.cleaned.get("page") or 1) == 1
        return first and self.filterset.effective_sort() == Sort.RELEVANCE

    def first_pks(self, start):
        """The pks of the page from ``start``, when the facets' pass read them, else None."""
        return getattr(self, "_first_pks", None) if start == 0 else None

    def result_count(self):
        """How many results (for the paginator): counted with the facets, in the same pass."""
        return self.facet_counts()["total"]

    def serving_option(self):
        """The territory filter's "serving" option: ``(count it adds, ticked)``, or None
        without a territory."""
        if not self.is_valid or not self.cleaned.get("territory"):
            return None
        return FacetOption(
            "1",
            self.filterset.filters["serving"].label,
            self.facet_counts()["serving"],
            bool(self.cleaned.get("serving")),
        )

    def facets(self):
        if not self.is_valid:
            return []
        all_counts = self.facet_counts()
        selected = {name: self._selected_slugs(name) for name in self.filterset.FACETS}
        facets = []
        for name, model in (
            ("theme", Theme),
            ("practice", CollaborativePractice),
            ("lever", ActionLever),
        ):
            counts = all_counts[name]
            facets.append(self._reference_facet(name, reference_list(model), counts, selected))
        counts = all_counts["legal_form"]
        facets.append(
            self._reference_facet("legal_form", reference_list(LegalForm), counts, selected)
        )
        counts = all_counts["size_class"]
        facets.append(
            Facet(
                "size_class",
                self.filterset.filters["size_class"].label,
                [
                    FacetOption(value, label, counts.get(value, 0), value in selected["size_class"])
                    for value, label in SizeClass.choices
                ],
            )
        )
        low_tech_count = all_counts["low_tech"]
        facets.append(
            Facet(
                "low_tech",
                pgettext_lazy("facet", "Low-tech"),
                [
                    FacetOption(
                        "1",
                        _("Low-tech initiatives only"),
                        low_tech_count,
                        bool(selected["low_tech"]),
                    )
                ],
            )
        )
        facets.append(
            Facet(
                "open_now",
                pgettext_lazy("facet", "Opening hours"),
                [
                    FacetOption(
                        "1", _("Open now"), all_counts["open_now"], bool(selected["open_now"])
                    )
                ],
            )
        )
        return facets

    def _selected_slugs(self, name):
        value = self.cleaned.get(name)
        if not value:
            return set()
        if name in ("low_tech", "open_now"):
            return {"1"}
        return {getattr(v, "slug", v) for v in value}

    def _reference_facet(self, name, objects, counts, selected):
        options = [
            FacetOption(obj.slug, obj.name, counts.get(obj.pk, 0), obj.slug in selected[name])
            for obj in objects
        ]
        return Facet(name, self.filterset.filters[name].label, options)

    def mark_serving(self, initiatives):
        """With the "serving" option, mark the initiatives listed because they serve the
        territory rather than lie in it (``serves_here``, said on their card)."""
        territory = self.cleaned.get("territory")
        if not (territory and self.cleaned.get("serving")):
            return
        column = f"{TERRITORY_COLUMN[territory.kind]}_id"
        for initiative in initiatives:
            initiative.serves_here = getattr(initiative, column) != territory.pk

    # -- chips --------------------------------------------------------------------------------

    def chips(self):
        """One removable chip per active filter value, each a link to the view without it."""
        if not self.is_valid:
            return []
        data = self.cleaned
        chips = []
        if data.get("q"):
            chips.append(self._chip(_("Search: “%(q)s”") % {"q": data["q"]}, "q"))
        for name in ("theme", "practice", "lever", "solution", "legal_form"):
            for obj in data.get(name) or []:
                chips.append(self._chip(obj.name, name, obj.slug))
        size_labels = dict(SizeClass.choices)
        for value in data.get("size_class") or []:
            chips.append(self._chip(size_labels[value], "size_class", value))
        if data.get("low_tech"):
            chips.append(self._chip(pgettext_lazy("facet", "Low-tech"), "low_tech"))
        if data.get("open_now"):
            chips.append(self._chip(_("Open now"), "open_now"))
        if data.get("territory"):
            territory = data["territory"]
            chips.append(self._chip(f"{territory} ({territory.get_kind_display()})", "territory"))
            if data.get("serving"):
                chips.append(self._chip(_("Including the initiatives that serve it"), "serving"))
        if data.get("bbox"):
            chips.append(self._chip(_("In the chosen map area"), "bbox"))
        if data.get("near") and self.filterset.effective_sort() == Sort.DISTANCE:
            chips.append(
                self._chip(_("Nearest to %(commune)s") % {"commune": data["near"]}, "near")
            )
        return chips

    def _chip(self, label, name, value=None):
        params = self.params.copy()
        if value is None:
            params.pop(name, None)
        else:
            params.setlist(name, [v for v in params.getlist(name) if v != value])
        params.pop("page", None)
        return Chip(str(label), self.url_for(params))

    def url_for(self, params):
        query = params.urlencode() if isinstance(params, QueryDict) else ""
        return f"{self.base_url}?{query}" if query else self.base_url

    def clear_url(self):
        return self.base_url

    # -- map and other views of the same results ----------------------------------------------

    def filter_query(self):
        """The query string of the filters alone (no page): for the map data and the exports."""
        params = self.params.copy()
        for name in ("page",):
            params.pop(name, None)
        return params.urlencode()

    def bounds(self):
        """Where the map should look first: the chosen area, the chosen territory (its outline),
        or the results in it and serving it.

        ``[[south, west], [north, east]]`` for Leaflet, or None to keep the map's own view.
        """
        if not self.is_valid:
            return None
        if self.cleaned.get("bbox"):
            return self.cleaned["bbox"].as_leaflet_bounds()
        territory = self.cleaned.get("territory")
        if not territory:
            return None
        if not self.cleaned.get("serving"):
            # The territory's outline, as its page shows it: no scan of its initiatives.
            outline = Outline.objects.filter(territory=territory).defer("geometry").first()
            if outline:
                return outline.as_leaflet_bounds()
        box = caching.cached(
            "bounds",
            [self.results_key],
            self.results.bounds,
            scopes=self.scopes,
        )
        return box.as_leaflet_bounds() if box else None

    @property
    def distance_origin(self):
        """``"lat,lon"`` of the point the results are sorted from (the map's popups say how far
        each is), or ""."""
        if not self.is_valid or self.filterset.effective_sort() != Sort.DISTANCE:
            return ""
        near = self.cleaned["near"]
        return f"{near.latitude:.6f},{near.longitude:.6f}"

    @property
    def distance_needs_commune(self):
        """Sorting by distance was asked without a commune to measure from."""
        return self.cleaned.get("sort") == Sort.DISTANCE and not self.cleaned.get("near")

    @property
    def default_sort(self):
        return self.filterset.default_sort()

    def sort_options(self):
        current = self.filterset.effective_sort()
        return [(value, label, value == current) for value, label in Sort.CHOICES]

    def territory_options(self):
        """The territory select's option groups as HTML: regions, departments, metropolises
        (each option rendered once per process and version: some 160 of them took 10 ms of
        every uncached directory view), and the chosen territory first when it is none of them.
        """
        chosen, given = self.cleaned.get("territory"), self.params.get("territory")
        groups = caching.cached("territory-options", [], _territory_options, in_process=True)
        html = []
        listed = {option[0] for _label, options in groups for option in options}
        if chosen and chosen.slug not in listed:
            html.append(
                format_html(
                    '<optgroup label="{}"><option value="{}" selected>{}</option></optgroup>',
                    _("Chosen territory"),
                    chosen.slug,
                    chosen.name,
                )
            )
        for label, options in groups:
            html.append(format_html('<optgroup label="{}">', label))
            html.extend(picked if slug == given else plain for slug, plain, picked in options)
            html.append("</optgroup>")
        return mark_safe("".join(html))


def _territory_options():
    """``[(group label, [(slug, option, option selected), …]), …]`` for the territory select,
    from one query."""
    rows = list(
        Territory.objects.filter(
            Q(kind__in=[Kind.REGION, Kind.DEPARTMENT])
            | Q(kind=Kind.EPCI, epci_kind=EpciKind.METROPOLE)
        ).only("slug", "name", "kind", "code", "epci_kind")
    )
    groups = [
        (_("Regions"), [t for t in rows if t.kind == Kind.REGION]),
        (_("Departments"), sorted((t for t in rows if t.kind == Kind.DEPARTMENT), key=_dept)),
        (_("Metropolises"), [t for t in rows if t.kind == Kind.EPCI]),
    ]
    option = '<option value="{}"{}>{}{}</option>'
    return [
        (
            str(label),
            [
                (
                    t.slug,
                    *(
                        format_html(option, t.slug, selected, prefix, t.name)
                        for selected in ("", mark_safe(" selected"))
                    ),
                )
                for t in territories
                for prefix in [f"{t.code} · " if t.kind == Kind.DEPARTMENT else ""]
            ],
        )
        for label, territories in groups
    ]


def _dept(territory):
    return territory.code.zfill(3)
