"""Where a solution model exists, and the comparable territories that do not have it yet."""

from django.db.models import Count

from initiatives import caching
from initiatives.filters import InitiativeFilterSet
from initiatives.models import FacetTally, Status
from territories.models import SizeClass, Territory

from .comparison import peers
from .models import SolutionLink

# Among the communes with the most initiatives of a solution, the busiest of each size class.
SEED_COMMUNES = 500
PER_CLASS = 3


def catalogue_counts():
    """``{solution id: (initiatives, communes)}`` of published initiatives; one query."""
    rows = (
        SolutionLink.objects.filter(initiative__status=Status.PUBLISHED)
        .values_list("solution_id")
        .annotate(n=Count("initiative_id"), communes=Count("initiative__commune", distinct=True))
        .order_by()
    )
    return {pk: (n, communes) for pk, n, communes in rows}


def solution_initiatives(solution):
    """The published initiatives of ``solution``, through the directory's own filter."""
    return InitiativeFilterSet({"solution": [solution.slug]}).qs


def where(solution):
    """Counts by commune size class and the communes that have it, most initiatives first,
    with each one's size class (``sizes``).

    Read from the tallies (``FacetTally``, solution models per territory): the communes'
    rows of this solution, through the index by facet value, and their size classes (in no
    order: at a million initiatives, 15,000 communes had a recyclerie, and sorting them by
    name took a third of the page)."""
    rows = FacetTally.objects.filter(facet="solution", value=str(solution.pk), n__gt=0)
    communes = Territory.objects.communes().filter(pk__in=rows.values("territory_id"))
    sizes = dict(communes.order_by().values_list("pk", "size_class"))
    tallied = {pk: n for pk, n in rows.values_list("territory_id", "n") if pk in sizes}
    by_size = {}
    for pk, n in tallied.items():
        by_size[sizes[pk]] = by_size.get(sizes[pk], 0) + n
    return {
        "count": sum(tallied.values()),
        "by_size": [(label, by_size.get(value, 0)) for value, label in SizeClass.choices],
        "communes": sorted(tallied.items(), key=lambda item: (-item[1], item[0])),
        "sizes": sizes,
    }


def candidates(solution, communes, sizes):
    """Communes comparable with those where ``solution`` thrives that do not have it yet: for
    each size class, the peers of its busiest commune, closest in population first.
    ``communes`` are ``(id, initiatives)``, most first; ``sizes`` their size classes."""
    have = {pk for pk, _count in communes}
    busiest = {}
    for pk, _count in communes[:SEED_COMMUNES]:  # most initiatives first
        busiest.setdefault(sizes[pk], pk)
    loaded = Territory.objects.in_bulk(busiest.values())
    found = []
    for size_class in SizeClass.values:
        commune = loaded.get(busiest.get(size_class))
        if commune is None:
            continue
        taken = 0
        for peer in peers(commune).select_related("department"):
            if peer.pk not in have and peer not in found:
                peer.like = commune
                found.append(peer)
                taken += 1
                if taken == PER_CLASS:
                    break
    return found


def solution_page(solution):
    """Everything the solution's page counts, cached on the public data."""

    def compute():
        place = where(solution)
        place["candidates"] = candidates(solution, place["communes"], place.pop("sizes"))
        place["communes"] = len(place["communes"])
        return place

    return caching.cached("intel-solution", [solution.pk], compute)
