"""Merging duplicates: one initiative folded into another, keeping the better of each field."""

from django.db import transaction

from initiatives.models import CLASSIFICATION_FIELDS

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
        for field in CLASSIFICATION_FIELDS:
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
