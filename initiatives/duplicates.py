"""Possible duplicates: initiatives with a similar name near the same place.

Used live by the public form (so people suggest a correction instead of a second entry) and by
the curators' review queue to flag pending items (merging them is curation/merge.py).

The work per search is bounded whatever the size of the directory: the database picks at most
``MAX_CANDIDATES`` names near the place — on PostgreSQL through a trigram index on the folded
name (migration 0006: similar names, or names containing the words typed), on SQLite those
containing one of the longest words typed — and only these are scored here.
"""

import difflib

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import CharField, F, Func, Q
from django.db.models.lookups import Contains

from ssemap.text import fold, normalise_name

from .caching import cached
from .geo import box_around
from .models import Initiative
from .search import name_sort_key

DUPLICATE_RADIUS_KM = 15
SIMILARITY_THRESHOLD = 0.6
MAX_CANDIDATES = 50
# Words of the name the SQLite search looks for (the longest, which tell names apart best).
MAX_WORDS = 3


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
    candidates = nearby(Initiative.objects.published() if queryset is None else queryset, commune)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    candidates = similar_names(candidates, name).select_related("commune", "commune__department")
    scored = [(c, similarity(name, c.name)) for c in candidates[:MAX_CANDIDATES]]
    scored = [(c, s) for c, s in scored if s >= SIMILARITY_THRESHOLD]
    scored.sort(key=lambda pair: (-pair[1], pair[0].name))
    return scored[:limit]


class FoldedName(Func):
    """``ssemap_fold_name(name)``: the expression the trigram index of migration 0006 covers."""

    function = "ssemap_fold_name"
    output_field = CharField()


def similar_names(queryset, name):
    """The initiatives of ``queryset`` whose name may be like ``name``, likeliest first."""
    if connection.vendor == "postgresql":
        folded = fold(name)
        key = FoldedName(F("name"))
        return (
            queryset.alias(folded_name=key)
            .filter(
                Q(folded_name__trigram_similar=folded) | Q(folded_name__trigram_word_similar=folded)
            )
            .annotate(trigram=TrigramSimilarity(key, folded))
            .order_by("-trigram", "pk")
        )
    words = sorted(set(normalise_name(name).split()), key=len, reverse=True)[:MAX_WORDS]
    folded_name = name_sort_key()  # the folded name on SQLite
    condition = Q()
    for word in words:
        condition |= Q(Contains(folded_name, word))
    return queryset.filter(condition).order_by("pk")


def duplicates_of(initiative, limit=5):
    """Other initiatives (published or pending) that may be the same as ``initiative``.

    Cached on the data version (``caching.cached``): the review queue asks it for every row
    of every page, and the answer changes only when the data does.
    """
    queryset = Initiative.objects.filter(status__in=["published", "pending"])
    return cached(
        "duplicates-of",
        (initiative.pk, initiative.name, initiative.commune_id, limit),
        lambda: find_duplicates(
            initiative.name, initiative.commune, queryset=queryset, exclude=initiative, limit=limit
        ),
    )
