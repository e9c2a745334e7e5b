"""Where a solution model exists, and the comparable territories that do not have it yet."""

from django.db import connections
from django.db.models import Count

from initiatives import caching
from initiatives.filters import InitiativeFilterSet
from initiatives.models import FacetTally, Status
from territories.models import Kind, SizeClass, Territory

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


def _tallied(solution):
    """The tallies' rows of ``solution``: its published initiatives per territory."""
    return FacetTally.objects.filter(facet="solution", value=str(solution.pk), n__gt=0)


def where(solution):
    """Its initiatives and communes, the initiatives by commune size class, and the busiest
    commune of each size class among its ``SEED_COMMUNES`` busiest (``seeds``).

    Read from the tallies (``FacetTally``, solution models per territory) joined with the
    communes, grouped in the database: at a million initiatives, 15,000 communes had a
    recyclerie, and reading each one's count and size class into Python was half the page."""
    tallied = _tallied(solution).values("territory_id", "n")
    sql, params = tallied.query.sql_with_params()
    rows = (
        f"FROM ({sql}) f JOIN {Territory._meta.db_table} t ON t.id = f.territory_id "
        "WHERE t.kind = %s"
    )
    params = [*params, Kind.COMMUNE]
    with connections[tallied.db].cursor() as cursor:
        cursor.execute(f"SELECT t.size_class, SUM(f.n), COUNT(*) {rows} GROUP BY 1", params)
        grouped = cursor.fetchall()
        cursor.execute(
            f"SELECT t.id, t.size_class {rows} ORDER BY f.n DESC, t.id LIMIT {SEED_COMMUNES}",
            params,
        )
        busiest = cursor.fetchall()
    by_size = {size: n for size, n, _communes in grouped}
    seeds = {}
    for pk, size in busiest:  # most initiatives first
        seeds.setdefault(size, pk)
    return {
        "count": sum(by_size.values()),
        "by_size": [(label, by_size.get(value, 0)) for value, label in SizeClass.choices],
        "communes": sum(communes for _size, _n, communes in grouped),
        "seeds": seeds,
    }


def candidates(solution, seeds):
    """Communes comparable with those where ``solution`` thrives that do not have it yet: for
    each size class, the peers of its busiest commune (``seeds``), closest in population
    first. Whether a peer has it is read for the peers alone."""
    loaded = Territory.objects.in_bulk(seeds.values())
    per_class = []
    for size_class in SizeClass.values:
        commune = loaded.get(seeds.get(size_class))
        if commune is not None:
            per_class.append((commune, list(peers(commune).select_related("department"))))
    ids = [peer.pk for _commune, nearby in per_class for peer in nearby]
    have = set(
        _tallied(solution).filter(territory_id__in=ids).values_list("territory_id", flat=True)
    )
    found = []
    for commune, nearby in per_class:
        taken = 0
        for peer in nearby:
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
        place["candidates"] = candidates(solution, place.pop("seeds"))
        return place

    return caching.cached("intel-solution", [solution.pk], compute)
