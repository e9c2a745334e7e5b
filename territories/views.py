import hashlib

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from initiatives import caching
from initiatives.directory import reference_list
from initiatives.models import (
    CollaborativePractice,
    FacetTally,
    Initiative,
    TerritoryLever,
    Theme,
)

from .models import Kind, Outline, Territory
from .outlines import outline_feature, outline_url

SEARCH_LIMIT = 30
COMPARABLE_COUNT = 10
LIST_SIZE = 20


def initiative_counts(kind, territories):
    """Published initiatives per territory (all of one kind), read from the tallies."""
    rows = FacetTally.objects.filter(
        territory_id__in=[t.pk for t in territories], facet="total", value=""
    ).values_list("territory_id", "n")
    return dict(rows)


def with_counts(territories):
    """The territories, each with ``initiative_count``; one query per kind present."""
    territories = list(territories)
    for kind in {t.kind for t in territories}:
        counts = initiative_counts(kind, [t for t in territories if t.kind == kind])
        for territory in territories:
            if territory.kind == kind:
                territory.initiative_count = counts.get(territory.pk, 0)
    return territories


def territory_list(request):
    query = request.GET.get("q", "").strip()[:100]
    found = None
    if query:
        found = with_counts(
            Territory.objects.search(query)
            .select_related("department")
            .order_by("-population")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "territories/territory_list.html",
        {
            "query": query,
            "found": found,
            "regions": with_counts(Territory.objects.regions()),
            "departments": with_counts(Territory.objects.departments().order_by("code")),
            "metropolises": with_counts(Territory.objects.metropolises()),
        },
    )


def _comparable_ids(territory):
    return list(comparable_territories(territory).values_list("pk", flat=True))


def _in_order(pks):
    by_pk = Territory.objects.select_related("department").in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def comparable_territories(territory):
    """Territories of the same kind (and EPCI kind or size class), closest in population."""
    similar = Territory.objects.filter(kind=territory.kind).exclude(pk=territory.pk)
    if territory.kind == Kind.EPCI:
        similar = similar.filter(epci_kind=territory.epci_kind)
    elif territory.kind == Kind.COMMUNE:
        similar = similar.filter(size_class=territory.size_class)
    return similar.closest_in_population(territory.population, COMPARABLE_COUNT).select_related(
        "department"
    )


def _reference_counts(model, counts):
    """(object, count) of the themes or practices counted, most frequent first."""
    # The reference list each process keeps: no query (was one per facet on every page).
    objects = [obj for obj in reference_list(model) if obj.pk in counts]
    return sorted(((obj, counts[obj.pk]) for obj in objects), key=lambda pair: -pair[1])


def _figures(territory, initiatives, outline):
    """The page's counts, read from the tallies; the latest from the initiatives, and their
    bounds where the territory has no outline to fit the map to (a scan of them all)."""
    counts = FacetTally.objects.counts(territory.pk, ["total", "theme", "practice", "low_tech"])
    return {
        "bounds": None if outline else initiatives.bounds(),
        "initiative_count": counts["total"].get("", 0),
        "theme_counts": _reference_counts(Theme, counts["theme"]),
        "practice_counts": _reference_counts(CollaborativePractice, counts["practice"]),
        "low_tech_count": counts["low_tech"].get("", 0),
        "latest": list(
            initiatives.with_public_relations().order_by("-published_at", "pk")[:LIST_SIZE]
        ),
        "member_count": (
            territory.member_communes.count() if territory.kind == Kind.EPCI else None
        ),
    }


def territory_detail(request, slug):
    territory = get_object_or_404(
        Territory.objects.select_related("region", "department", "epci"), slug=slug
    )
    initiatives = Initiative.objects.published().in_territory(territory)
    # The figures change only with writes inside the territory; the comparable territories'
    # counts with writes inside them (their list, with the reference data).
    outline = Outline.objects.filter(territory=territory).defer("geometry").first()
    figures = caching.cached(
        "territory",
        [territory.pk, bool(outline)],
        lambda: _figures(territory, initiatives, outline),
        scopes=[caching.territory_scope(territory)],
    )
    # Initiatives located elsewhere that serve it (their areas served): a link to them.
    serving_count = caching.cached(
        "territory-serving",
        [territory.pk],
        lambda: (
            Initiative.objects.published()
            .serving(territory)
            .exclude(pk__in=initiatives.values("pk"))
            .count()
        ),
        scopes=[caching.territory_scope(territory), *caching.served_scopes(territory)],
    )
    comparable = caching.cached(
        "comparable", [territory.pk], lambda: _comparable_ids(territory), scopes=[]
    )
    comparable = caching.cached(
        "comparable-counts",
        [territory.pk],
        lambda: with_counts(_in_order(comparable)),
        scopes=[f"t:{pk}" for pk in comparable],
    )
    bounds = figures["bounds"].as_leaflet_bounds() if figures["bounds"] else None
    if outline:  # the map shows the whole territory, drawn
        bounds = outline.as_leaflet_bounds()
    if bounds is None and territory.has_coordinates:
        bounds = [[territory.latitude, territory.longitude]] * 2
    directory_url = reverse("initiatives:list") + f"?territory={territory.slug}"
    context = {
        "territory": territory,
        "chain": list(reversed(territory.chain()[1:])),
        "initiative_count": figures["initiative_count"],
        "initiatives": figures["latest"],
        "theme_counts": figures["theme_counts"],
        "practice_counts": figures["practice_counts"],
        "low_tech_count": figures["low_tech_count"],
        "levers": TerritoryLever.objects.filter(territory=territory)
        .select_related("lever")
        .order_by("lever__position"),
        "programmes": territory.programmes.all(),
        "comparable": comparable,
        "bounds": bounds,
        "directory_url": directory_url,
        "map_data_url": reverse("initiatives:map-data"),
        "member_count": figures["member_count"],
        "serving_count": serving_count,
        "outline_url": outline_url(territory) if outline else None,
    }
    return render(request, "territories/territory_detail.html", context)


@require_GET
@gzip_page
def outline(request, slug):
    """A territory's outline as GeoJSON, at a stable URL, revalidated with its ETag.

    A territory without an outline (overseas collectivities; databases loaded with
    ``--without-outlines``) answers 204: the maps then simply draw none.
    """
    found = Outline.objects.select_related("territory").filter(territory__slug=slug).first()
    if found is None:
        get_object_or_404(Territory, slug=slug)
        return HttpResponse(status=204)
    body = outline_feature(found)
    # Weak: the gzip and identity encodings share it. The body is the whole state.
    tag = f'W/"{hashlib.sha256(body.encode()).hexdigest()[:40]}"'
    response = get_conditional_response(request, etag=tag) or HttpResponse(
        body, content_type="application/geo+json"
    )
    response["ETag"] = tag
    response["Access-Control-Allow-Origin"] = "*"  # open data, reusable by other maps
    return caching.revalidate(response)
