"""The commit of a CSV import plan (``csv_import.py``): every row or none, written in bulk."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from curation.moderation import transition
from initiatives.models import CLASSIFICATION_FIELDS, Initiative, Source, Status

from .csv_import import MODEL_FIELDS


class ImportConflict(ValueError):
    """The database refused the plan at commit (a slug taken meanwhile): nothing was written."""


def apply(plan, *, by, publish=False):
    """Write every row of a valid plan in one transaction; returns (created, updated).

    Raises :class:`ImportConflict` when another initiative took a slug of the plan between the
    preview and the commit; the transaction is rolled back, so nothing of the file is written.
    """
    if not plan.ok:
        raise ValueError("Only a plan without errors can be applied.")
    try:
        return write(plan, by=by, publish=publish)
    except IntegrityError as error:
        raise ImportConflict(
            gettext(
                "Another initiative took one of the file's slugs since the preview: nothing "
                "was imported. Upload the file again to see the new preview."
            )
        ) from error


# Set on save() by the model; bulk writes set them here (``place``).
DERIVED_FIELDS = ["epci", "department", "region", "tile_x", "tile_y", "updated_at"]
BATCH = 500


def place(initiative, now):
    initiative.copy_commune_containers()
    initiative.set_grid_position()
    initiative.updated_at = now


def write(plan, *, by, publish):
    """The plan's rows in bulk: one INSERT per 500 new initiatives, one UPDATE statement per
    500 changed ones, their history rows and their links likewise (bulk link inserts)."""
    now = timezone.now()
    scalar = [name for name in MODEL_FIELDS if name not in CLASSIFICATION_FIELDS]
    new = [row for row in plan.rows if row.action == "create"]
    changed = [row for row in plan.rows if row.action == "update"]
    with transaction.atomic():
        initiatives = []
        for row in new:
            initiative = row.form.save(commit=False)
            initiative.source, initiative.status = Source.IMPORT, Status.PENDING
            initiative.slug = initiative.slug or row.slug
            initiative.created_at = now
            place(initiative, now)
            initiatives.append(initiative)
        created = bulk_create_with_history(
            initiatives, Initiative, batch_size=BATCH, default_user=by,
            default_change_reason="CSV import",
        )  # fmt: skip
        for row in changed:
            place(row.form.save(commit=False), now)
        bulk_update_with_history(
            [row.form.instance for row in changed], Initiative, [*scalar, *DERIVED_FIELDS],
            batch_size=BATCH, default_user=by, default_change_reason="CSV import",
        )  # fmt: skip
        for name in CLASSIFICATION_FIELDS:
            field = Initiative._meta.get_field(name)
            through, target = field.remote_field.through, field.m2m_reverse_field_name()
            relinked = [row for row in changed if any(c["field"] == name for c in row.changes)]
            through.objects.filter(
                initiative_id__in=[row.form.instance.pk for row in relinked]
            ).delete()
            pairs = [(i.pk, row) for i, row in zip(created, new, strict=True)]
            pairs += [(row.form.instance.pk, row) for row in relinked]
            through.objects.bulk_create(
                [
                    through(initiative_id=pk, **{f"{target}_id": item.pk})
                    for pk, row in pairs
                    for item in row.form.cleaned_data.get(name) or []
                ],
                batch_size=2000,
            )
        if publish:  # through moderation, one by one: every publication is journaled
            for initiative in created:
                transition(initiative, Status.PUBLISHED, by=by, reason="CSV import")
    return len(created), len(changed)
