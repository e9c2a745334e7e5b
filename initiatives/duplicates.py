"""Possible duplicates: initiatives with a similar name near the same place.

Used live by the public form (so people suggest a correction instead of a second entry) and by
the curators' review queue to flag pending items (merging them is curation/merge.py).
"""

import difflib

from django.db.models import Q

from ssemap.text import normalise_name

from .geo import box_around
from .models import Initiative

DUPLICATE_RADIUS_KM = 15
SIMILARITY_THRESHOLD = 0.6


def similarity(a, b):
    """A score in [0, 1]: the best of the character ratio and the word overlap."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, na, nb).ratio()
    ta, tb = set(na.split()), set(nb.split())
    jaccard = len(ta & tb) / len(ta | tb)
    containment = len(ta & tb) / min(len(ta), len(tb))
    # Characters catch typos, words keep one shared word ("solidaire") from being enough;
    # a name containing all of the other's words ("Repair café" / "Repair café de Lille") counts.
    return max((ratio + jaccard) / 2, containment * 0.9)


def nearby(queryset, commune, radius_km=DUPLICATE_RADIUS_KM):
    """Initiatives of ``queryset`` in the same intercommunality or within ``radius_km``."""
    place = Q(commune=commune)
    if commune.epci_id:
        place |= Q(epci_id=commune.epci_id)
    if commune.has_coordinates:
        box = box_around(commune.latitude, commune.longitude, radius_km)
        place |= Q(latitude__range=(box.south, box.north), longitude__range=(box.west, box.east))
    return queryset.filter(place)


def find_duplicates(name, commune, *, queryset=None, exclude=None, limit=5):
    """Initiatives with a name similar to ``name`` near ``commune``, best first.

    Returns a list of ``(initiative, score)``. ``queryset`` defaults to the published ones.
    """
    if not normalise_name(name) or commune is None:
        return []
    candidates = nearby(
        Initiative.objects.published() if queryset is None else queryset, commune
    ).select_related("commune", "commune__department")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    scored = [(c, similarity(name, c.name)) for c in candidates[:2000]]
    scored = [(c, s) for c, s in scored if s >= SIMILARITY_THRESHOLD]
    scored.sort(key=lambda pair: (-pair[1], pair[0].name))
    return scored[:limit]


def duplicates_of(initiative, limit=5):
    """Other initiatives (published or pending) that may be the same as ``initiative``."""
    queryset = Initiative.objects.filter(status__in=["published", "pending"])
    return find_duplicates(
        initiative.name, initiative.commune, queryset=queryset, exclude=initiative, limit=limit
    )
