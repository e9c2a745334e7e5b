"""Where a solution model exists, and the comparable territories that do not have it yet."""

from django.db.models import Count

from initiatives import caching
from initiatives.filters import InitiativeFilterSet
from initiatives.models import Status
from territories.models import SizeClass, Territory

from .comparison import peers
from .models import SolutionLink

SEED_COMMUNES = 5
CANDIDATE_COUNT = 12


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
    """Counts by commune size class and the communes that have it, most initiatives first."""
    initiatives = solution_initiatives(solution)
    by_size = initiatives.count_by("commune__size_class")
    communes = initiatives.count_by("commune")
    return {
        "count": sum(communes.values()),
        "by_size": [(label, by_size.get(value, 0)) for value, label in SizeClass.choices],
        "communes": sorted(communes.items(), key=lambda item: -item[1]),
    }


def candidates(solution, communes):
    """Communes comparable with those where ``solution`` thrives that do not have it yet:
    the peers of its ``SEED_COMMUNES`` busiest communes, closest in population first."""
    have = {pk for pk, _count in communes}
    found = []
    for commune in Territory.objects.filter(pk__in=[pk for pk, _n in communes[:SEED_COMMUNES]]):
        for peer in peers(commune).select_related("department"):
            if peer.pk not in have and peer not in found:
                peer.like = commune
                found.append(peer)
            if len(found) >= CANDIDATE_COUNT:
                return found
    return found


def solution_page(solution):
    """Everything the solution's page counts, cached on the public data."""

    def compute():
        place = where(solution)
        place["candidates"] = candidates(solution, place["communes"])
        place["communes"] = len(place["communes"])
        return place

    return caching.cached("intel-solution", [solution.pk], compute)
