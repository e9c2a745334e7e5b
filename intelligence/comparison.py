"""A territory's figures per 10,000 inhabitants beside the median of comparable territories.

Comparable ("peers"): the same kind and size class for a commune; the same kind of EPCI and
population band for an intercommunality; the same kind for a department or a region — the
``PEER_COUNT`` closest in population. All the figures of a territory and its peers come from
grouped queries per dimension (total, themes, solution models), each territory's counts
cached on its own scope (initiatives/caching.py): a publish elsewhere leaves them in place,
and a publish in a peer recomputes that peer's counts only.
"""

import statistics
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from initiatives import caching
from initiatives.directory import reference_list
from initiatives.models import (
    FacetTally,
    TerritoryLever,
    Theme,
)
from territories.models import Kind, Territory

from .models import Solution

PEER_COUNT = 30
PER = 10_000
# Population bands of intercommunalities (the EPCI kinds alone mix 5,000 and 80,000 people).
EPCI_BANDS = (20_000, 50_000, 100_000, 250_000)


def population_band(population):
    """``(low, high)`` of the EPCI band ``population`` falls in (``high`` None for the last)."""
    low = 0
    for high in EPCI_BANDS:
        if population < high:
            return low, high
        low = high
    return low, None


def peers(territory):
    """The territories comparable with ``territory``, closest in population first."""
    similar = Territory.objects.filter(kind=territory.kind, population__gt=0).exclude(
        pk=territory.pk
    )
    if territory.kind == Kind.COMMUNE:
        similar = similar.filter(size_class=territory.size_class)
    elif territory.kind == Kind.EPCI:
        low, high = population_band(territory.population)
        similar = similar.filter(epci_kind=territory.epci_kind, population__gte=low)
        if high is not None:
            similar = similar.filter(population__lt=high)
    return similar.closest_in_population(territory.population, PEER_COUNT)


def per_inhabitants(count, population):
    """``count`` per 10,000 inhabitants (None without a population)."""
    return count * PER / population if population else None


def territory_counts(kind, ids):
    """``{territory id: {"total": n, "themes": {id: n}, "solutions": {id: n}}}`` of the
    published initiatives of territories ``ids`` (one kind).

    Each territory's counts are cached on its own scope, so a publish in one territory
    recomputes its counts only, not those of every page that compares with it; the missing
    ones come from one grouped query per dimension.
    """
    versions = caching.scoped_versions([[f"t:{pk}"] for pk in ids])
    keys = {
        pk: caching.cache_key("intel-counts", version, pk)
        for pk, (version, _changed) in zip(ids, versions, strict=True)
    }
    found = cache.get_many(list(keys.values()))
    counts = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in counts]
    if missing:
        # Totals, themes and solution models from the tallies the database keeps
        # (initiatives/tallies.py): an index read, where grouped counts joined every
        # initiative of the peers with its themes and its solutions.
        totals, themes, solutions = {}, {}, {}
        tallied = FacetTally.objects.filter(
            territory_id__in=missing, facet__in=["total", "theme", "solution"], n__gt=0
        ).values_list("territory_id", "facet", "value", "n")
        for territory_id, facet, value, n in tallied:
            if facet == "total":
                totals[territory_id] = n
            else:
                by = themes if facet == "theme" else solutions
                by.setdefault(int(value), {})[territory_id] = n
        fresh = {
            pk: {
                "total": totals.get(pk, 0),
                "themes": {t: n[pk] for t, n in themes.items() if pk in n},
                "solutions": {s: n[pk] for s, n in solutions.items() if pk in n},
            }
            for pk in missing
        }
        cache.set_many({keys[pk]: fresh[pk] for pk in missing}, caching.CACHE_SECONDS)
        counts.update(fresh)
    return counts


def raw_figures(territory):
    """The counts of ``territory`` and its peers, by dimension then territory."""
    # The peers depend on the administrative map only (the reference scope).
    group = caching.cached(
        "intel-peers",
        [territory.pk],
        lambda: list(peers(territory).values_list("pk", "population", "name", "slug")),
        scopes=[],
    )
    counts = territory_counts(territory.kind, [territory.pk] + [row[0] for row in group])
    raw = {"peers": group, "totals": {}, "themes": {}, "solutions": {}}
    for pk, figures in counts.items():
        raw["totals"][pk] = figures["total"]
        for dimension in ("themes", "solutions"):
            for target, n in figures[dimension].items():
                raw[dimension].setdefault(target, {})[pk] = n
    return raw


@dataclass
class Row:
    """One figure: here and the median of the peers, per 10,000 inhabitants."""

    label: str
    count: int
    rate: float | None
    median: float | None
    url: str = ""
    slug: str = ""
    obj: object = None

    @property
    def ratio(self):
        """Here / median, for the words beside the figure (None when undefined)."""
        if self.rate is None or not self.median:
            return None
        return self.rate / self.median


@dataclass
class Comparison:
    territory: Territory
    peer_count: int
    total: Row
    themes: list = field(default_factory=list)
    solutions: list = field(default_factory=list)
    levers: Row | None = None
    # {solution id: how many peers have it}, {lever id: how many peers use it}
    solution_presence: dict = field(default_factory=dict)
    lever_presence: dict = field(default_factory=dict)
    lever_ids: set = field(default_factory=set)
    peer_names: dict = field(default_factory=dict)


def _row(label, counts, territory, populations, **extra):
    """A row from ``{territory id: count}`` (missing ids count 0)."""
    here = counts.get(territory.pk, 0)
    rates = [per_inhabitants(counts.get(pk, 0), pop) for pk, pop in populations.items()]
    rates = [r for r in rates if r is not None]
    return Row(
        label=label,
        count=here,
        rate=per_inhabitants(here, territory.population),
        median=statistics.median(rates) if rates else None,
        **extra,
    )


def compare(territory):
    """The :class:`Comparison` of ``territory`` with its peers."""
    raw = raw_figures(territory)
    populations = {pk: pop for pk, pop, _name, _slug in raw["peers"]}
    comparison = Comparison(
        territory=territory,
        peer_count=len(populations),
        total=_row(_("All initiatives"), raw["totals"], territory, populations),
        peer_names={pk: (name, slug) for pk, _pop, name, slug in raw["peers"]},
    )
    for theme in reference_list(Theme):  # kept in each process: no query
        counts = raw["themes"].get(theme.pk, {})
        comparison.themes.append(_row(theme.name, counts, territory, populations, slug=theme.slug))
    for solution in reference_list(Solution):
        counts = raw["solutions"].get(solution.pk, {})
        comparison.solution_presence[solution.pk] = sum(1 for pk in populations if counts.get(pk))
        row = _row(solution.name, counts, territory, populations, slug=solution.slug)
        row.url = solution.get_absolute_url()
        row.obj = solution
        comparison.solutions.append(row)
    # The territories' levers are read as they are (a cheap query, not versioned).
    uses = TerritoryLever.objects.filter(territory__in=[territory.pk, *populations]).values_list(
        "territory_id", "lever_id"
    )
    lever_counts = {}
    for territory_id, lever_id in uses:
        lever_counts[territory_id] = lever_counts.get(territory_id, 0) + 1
        if territory_id == territory.pk:
            comparison.lever_ids.add(lever_id)
        else:
            comparison.lever_presence[lever_id] = comparison.lever_presence.get(lever_id, 0) + 1
    peers_levers = [lever_counts.get(pk, 0) for pk in populations]
    comparison.levers = Row(
        label=_("Action levers recorded"),
        count=lever_counts.get(territory.pk, 0),
        rate=None,
        median=statistics.median(peers_levers) if peers_levers else None,
    )
    return comparison
