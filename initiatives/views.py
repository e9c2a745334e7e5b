import json

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from . import caching, memberships
from .directory import PAGE_SIZE, Directory, reference_list
from .filters import InitiativeFilterSet
from .geo import box_around, distance_km
from .models import (
    EVERYWHERE,
    ActionLever,
    FacetTally,
    Initiative,
    LeverFamily,
    TerritoryLever,
    Theme,
)

NEARBY_COUNT = 5


def home(request):
    published = Initiative.objects.published()
    figures, theme_counts = caching.cached("home", [], _home_figures, request=request)
    # Pairs, not a count set on each theme: the themes are shared by this process's requests.
    themes = [(theme, theme_counts.get(theme.pk, 0)) for theme in reference_list(Theme)]
    latest = caching.cached(
        "home-latest",
        [],
        lambda: list(published.with_public_relations().order_by("-published_at", "pk")[:6]),
        request=request,
    )
    return render(
        request,
        "initiatives/home.html",
        {
            "figures": figures,
            "themes": themes,
            "latest": latest,
            "map_data_url": reverse("initiatives:map-data"),
        },
    )


def _home_figures():
    """The home page's figures and counts per theme, read from the tallies (one query each)."""
    tally = FacetTally.objects
    counts = tally.counts(EVERYWHERE, ["total", "low_tech", "theme"])
    figures = {
        "initiatives": counts["total"].get("", 0),
        "communes": tally.distinct_values(EVERYWHERE, "commune"),
        "low_tech": counts["low_tech"].get("", 0),
        "departments": tally.distinct_values(EVERYWHERE, "department"),
    }
    return figures, counts["theme"]


def directory(request):
    """The directory: filters, the list and the map of the same results.

    Asked with ``X-Requested-With: fetch`` (the page's own script), it answers only the
    filters and results, which the script swaps in place.
    """
    filterset = InitiativeFilterSet(request.GET)
    directory = Directory(filterset, reverse("initiatives:list"))
    errors = directory.errors
    page_obj = None
    status = 200 if directory.is_valid else 400
    if directory.is_valid:
        paginator = Paginator(directory.results.with_public_relations(), PAGE_SIZE)
        paginator.count = directory.result_count()  # cached: no COUNT(*) per page view
        number = filterset.form.cleaned_data.get("page") or 1
        if number > paginator.num_pages and number > 1:
            errors.append(
                _("There is no page %(number)s: the results have %(pages)s.")
                % {"number": number, "pages": paginator.num_pages}
            )
            status = 404
        else:
            page_obj = paginator.page(number)
            start = (number - 1) * PAGE_SIZE
            # The page's initiatives (ranked, with their relations), cached on the query.
            page_obj.object_list = caching.cached(
                "page",
                [caching.filter_key(filterset, exclude=("page",)), number],
                lambda: paginator.object_list.rows(
                    start, start + PAGE_SIZE, pks=directory.first_pks(start)
                ),
                scopes=directory.scopes,
            )
            directory.mark_serving(page_obj.object_list)
    context = {
        "directory": directory,
        "bounds_json": json.dumps(directory.bounds()),
        "page_obj": page_obj,
        "errors": errors,
        "map_data_url": reverse("initiatives:map-data"),
        "filter_query": directory.filter_query(),
    }
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = (
        "initiatives/_directory_body.html" if fragment else "initiatives/initiative_list.html"
    )
    response = render(request, template, context, status=status)
    response["Vary"] = "X-Requested-With, Accept-Language, Cookie"
    return response


def _nearby_scopes(initiative, found):
    """Where a write could change the nearby list: the circle out to its farthest item (an
    initiative nearer than that, or one of those shown), as map squares; all the data while
    the list is not full (a publish anywhere could join it)."""
    if len(found) < NEARBY_COUNT or initiative.latitude is None:
        return None
    radius = max(
        distance_km(initiative.latitude, initiative.longitude, i.latitude, i.longitude)
        for i in found
    )
    return caching.area_scopes(box_around(initiative.latitude, initiative.longitude, radius))


class InitiativeDetailView(DetailView):
    template_name = "initiatives/initiative_detail.html"

    def get_queryset(self):
        published = Initiative.objects.published().select_related(
            "commune", "epci", "department", "region", "legal_form"
        )
        # On PostgreSQL the page names the practices and levers from the row's copy of their
        # ids (the ``linked`` filter); the themes are read for the JSON-LD as well. The
        # low-tech qualities are read by the page itself, once, and only for a low-tech one.
        copied = ("practices", "levers") if memberships.stored(published) else ()
        related = ("themes", "practices", "levers")
        return published.prefetch_related(*(name for name in related if name not in copied))

    def get_context_data(self, **kwargs):
        initiative = self.object
        nearby = caching.cached_by_result(
            "nearby",
            [initiative.pk],
            lambda: (
                Initiative.objects.published()
                .exclude(pk=initiative.pk)
                .with_public_relations()
                .nearest(initiative.latitude, initiative.longitude, NEARBY_COUNT)
            ),
            lambda found: _nearby_scopes(initiative, found),
        )
        chain = [t for t in (initiative.region, initiative.department, initiative.epci) if t]
        return super().get_context_data(
            nearby=nearby,
            breadcrumbs=[*chain, initiative.commune],
            directory_url=reverse("initiatives:list"),
            **kwargs,
        )


class LeverListView(ListView):
    template_name = "initiatives/lever_list.html"

    def get_queryset(self):
        return ActionLever.objects.annotate(territory_count=Count("uses"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = Initiative.objects.published().count_by("levers")
        families = dict(LeverFamily.choices)
        groups = {}
        for lever in context["object_list"]:
            lever.initiative_count = counts.get(lever.pk, 0)
            groups.setdefault(lever.family, []).append(lever)
        context["families"] = [
            (families[key], groups[key]) for key in LeverFamily.values if key in groups
        ]
        return context


class LeverDetailView(DetailView):
    model = ActionLever
    template_name = "initiatives/lever_detail.html"

    def get_context_data(self, **kwargs):
        lever = self.object
        initiatives = Initiative.objects.published().filter(levers=lever)
        return super().get_context_data(
            uses=TerritoryLever.objects.filter(lever=lever)
            .select_related("territory")
            .order_by("territory__name"),
            initiatives=initiatives.with_public_relations().order_by("name")[:PAGE_SIZE],
            initiative_count=initiatives.count(),
            directory_url=reverse("initiatives:list"),
            **kwargs,
        )
