"""Merging duplicates: one initiative folded into another, keeping the better of each field;
the duplicate is set aside (rejected or archived), never deleted."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from initiatives.models import CLASSIFICATION_FIELDS, CorrectionStatus, Initiative, Status

from .moderation import transition

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


class MergeError(ValueError):
    """A merge that cannot be done, with a sentence a curator can read."""


# Where a merged duplicate goes: out of the directory and of the review queue, through the one
# transition table; rejected and archived duplicates stay as they are.
SET_ASIDE = {Status.PENDING: Status.REJECTED, Status.PUBLISHED: Status.ARCHIVED}
# What a duplicate may be merged into: a record that is, or may become, public.
MERGEABLE_INTO = {Status.PENDING, Status.PUBLISHED}


def merge(keep, drop, *, by):
    """Fold ``drop`` into ``keep``, then set ``drop`` aside (rejected or archived, with the reason);
    nothing is deleted (deleting stays with the administrators).

    ``keep`` takes ``drop``'s non-empty or longer values, the union of its themes, practices,
    levers and qualities, and its pending corrections. Both rows are locked in a stable order (by
    id), so that two crossed merges (A into B, B into A) wait for each other instead of
    deadlocking; the second then finds its target set aside and is refused.
    """
    if keep.pk == drop.pk:
        raise MergeError(_("An initiative cannot be merged into itself."))
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().in_bulk(sorted([keep.pk, drop.pk]))
        if len(locked) < 2:
            raise MergeError(_("One of the two initiatives no longer exists."))
        keep, drop = locked[keep.pk], locked[drop.pk]
        if keep.status not in MERGEABLE_INTO:
            raise MergeError(
                _("“%(name)s” is %(status)s: merge into a pending or published initiative.")
                % {"name": keep.name, "status": keep.get_status_display().lower()}
            )
        for field, value in merged_values(keep, drop).items():
            setattr(keep, field, value)
        for field in (*CLASSIFICATION_FIELDS, "areas_served"):
            getattr(keep, field).add(*getattr(drop, field).all())
        drop.corrections.filter(status=CorrectionStatus.PENDING).update(initiative=keep)
        keep._history_user = by
        keep._change_reason = f"merged with “{drop.name}” (#{drop.pk}, {drop.slug})"
        keep.save()
        reason = f"merged into “{keep.name}” (#{keep.pk}, {keep.slug})"
        if drop.status in SET_ASIDE:
            transition(drop, SET_ASIDE[drop.status], by=by, reason=reason)
        else:
            drop._history_user = by
            drop._change_reason = reason
            drop.save()
    return keep
