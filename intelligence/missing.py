"""What is missing here: the solution models and levers most comparable territories have.

"Most" is at least half of the peers (``comparison.peers``). Each missing solution comes with
the nearest initiatives that put it into practice; each missing lever with the peers that use
it — the examples a council can go and see.
"""

from dataclasses import dataclass

from initiatives import caching
from initiatives.models import ActionLever, Initiative, TerritoryLever
from territories.models import Outline

from .models import SolutionLink

EXAMPLE_COUNT = 3
MOST = 0.5


@dataclass
class Missing:
    obj: object
    peers_with: int
    peer_count: int
    examples: list

    @property
    def share(self):
        return round(100 * self.peers_with / self.peer_count) if self.peer_count else 0


def centre(territory):
    """A point of ``territory`` to measure "nearest" from: its own, else its outline's centre."""
    if territory.has_coordinates:
        return territory.latitude, territory.longitude
    box = Outline.objects.filter(territory=territory).values_list("south", "west", "north", "east")
    for south, west, north, east in box:
        return (south + north) / 2, (west + east) / 2
    return None


def nearest_examples(solution, point):
    """The published initiatives of ``solution`` nearest to ``point`` (none are here)."""
    initiatives = (
        Initiative.objects.published()
        .filter(pk__in=SolutionLink.objects.filter(solution=solution).values("initiative_id"))
        .select_related("commune")
    )
    if point is None:
        return list(initiatives.order_by("-published_at", "pk")[:EXAMPLE_COUNT])
    return initiatives.nearest(point[0], point[1], EXAMPLE_COUNT)


def _is_most(present, peer_count):
    return peer_count > 0 and present >= MOST * peer_count and present > 0


def missing_solutions(comparison):
    territory = comparison.territory
    rows = [
        row
        for row in comparison.solutions
        if row.count == 0
        and _is_most(comparison.solution_presence.get(row.obj.pk, 0), comparison.peer_count)
    ]
    if not rows:
        return []
    point = centre(territory)

    def compute():
        return {row.obj.pk: nearest_examples(row.obj, point) for row in rows}

    # The nearest examples lie anywhere: keyed on all of the public data.
    examples = caching.cached(
        "intel-examples", [territory.pk, *sorted(row.obj.pk for row in rows)], compute
    )
    missing = [
        Missing(
            row.obj,
            comparison.solution_presence[row.obj.pk],
            comparison.peer_count,
            examples.get(row.obj.pk, []),
        )
        for row in rows
    ]
    return sorted(missing, key=lambda m: -m.peers_with)


def missing_levers(comparison):
    ids = [
        lever_id
        for lever_id, present in comparison.lever_presence.items()
        if lever_id not in comparison.lever_ids and _is_most(present, comparison.peer_count)
    ]
    if not ids:
        return []
    users = {}
    for use in TerritoryLever.objects.filter(
        lever_id__in=ids, territory_id__in=comparison.peer_names
    ).select_related("territory"):
        users.setdefault(use.lever_id, []).append(use.territory)
    order = list(comparison.peer_names)  # closest in population first
    missing = []
    for lever in ActionLever.objects.filter(pk__in=ids):
        examples = sorted(users.get(lever.pk, []), key=lambda t: order.index(t.pk))
        missing.append(
            Missing(
                lever,
                comparison.lever_presence[lever.pk],
                comparison.peer_count,
                examples[:EXAMPLE_COUNT],
            )
        )
    return sorted(missing, key=lambda m: -m.peers_with)
