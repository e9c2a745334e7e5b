"""Possible duplicates: initiatives with a similar name near the same place.

Used live by the public form (so people suggest a correction instead of a second entry) and by
the admin to flag pending items, with a merge that keeps the better fields.
"""

import difflib

from django.db import transaction
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


# Fields a merge fills from the other record; text fields keep the longer value.
MERGE_TEXT_FIELDS = [
    "summary",
    "description",
    "organisation",
    "address",
    "website",
    "contact_email",
    "contact_phone",
    "source_reference",
    "submitter_name",
    "submitter_email",
]
MERGE_OTHER_FIELDS = ["legal_form", "year_started", "image"]
MERGE_M2M_FIELDS = ["themes", "practices", "levers", "low_tech_qualities"]


def merged_values(keep, drop):
    """Field name → value that ``keep`` would take from ``drop`` in a merge."""
    values = {}
    for field in MERGE_TEXT_FIELDS:
        mine, theirs = getattr(keep, field) or "", getattr(drop, field) or ""
        if len(theirs.strip()) > len(mine.strip()):
            values[field] = theirs
    for field in MERGE_OTHER_FIELDS:
        if not getattr(keep, field) and getattr(drop, field):
            values[field] = getattr(drop, field)
    if drop.low_tech and not keep.low_tech:
        values["low_tech"] = True
    return values


def merge(keep, drop, *, by):
    """Fold ``drop`` into ``keep`` and delete ``drop``; nothing that pointed to it is lost.

    ``keep`` takes ``drop``'s non-empty or longer values, the union of its themes, practices,
    levers and qualities, its suggested corrections and its status changes.
    """
    if keep.pk == drop.pk:
        raise ValueError("An initiative cannot be merged with itself.")
    with transaction.atomic():
        for field, value in merged_values(keep, drop).items():
            setattr(keep, field, value)
        for field in MERGE_M2M_FIELDS:
            getattr(keep, field).add(*getattr(drop, field).all())
        drop.corrections.update(initiative=keep)
        drop.status_changes.update(initiative=keep)
        keep._history_user = by
        keep._change_reason = f"merged with “{drop.name}” (#{drop.pk}, {drop.slug})"
        keep.save()
        drop._history_user = by
        drop._change_reason = f"merged into “{keep.name}” (#{keep.pk})"
        drop.delete()
    return keep
