"""Status changes of initiatives, in one place.

Every move from one status to another goes through :func:`transition`, which checks it against
``ALLOWED_TRANSITIONS``, records a :class:`StatusChange` (who, when, why) and a history entry.

The allowed moves:

- pending → published: a curator accepts a submission;
- pending → rejected: a curator refuses it (a reason is required, it is kept for the record);
- published → archived: the initiative has closed or no longer belongs in the directory;
- archived → published: it was archived by mistake, or has reopened;
- rejected → pending: a rejection is reconsidered and goes back to the review queue.

Everything else (e.g. rejected → published directly, published → pending) is refused, so that
every published initiative has gone through the review queue.

Whatever the screen (change form, bulk action, history revert, import, a script), a save of an
existing initiative whose status differs from the stored one and did not come from
:func:`transition` is refused by :func:`refuse_status_change_outside_moderation`, a ``pre_save``
receiver connected in ``CurationConfig.ready()``.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Correction, CorrectionStatus, Initiative, Status, StatusChange

ALLOWED_TRANSITIONS = {
    Status.PENDING: {Status.PUBLISHED, Status.REJECTED},
    Status.PUBLISHED: {Status.ARCHIVED},
    Status.ARCHIVED: {Status.PUBLISHED},
    Status.REJECTED: {Status.PENDING},
}
REASON_REQUIRED = {Status.REJECTED}


class TransitionError(ValueError):
    """A status change that the moderation workflow does not allow."""


def allowed_targets(status):
    """The statuses an initiative in ``status`` may move to, in a stable order."""
    return [s for s in Status.values if s in ALLOWED_TRANSITIONS.get(status, set())]


def can_transition(initiative, to_status):
    return to_status in ALLOWED_TRANSITIONS.get(initiative.status, set())


def transition(initiative, to_status, *, by, reason=""):
    """Move ``initiative`` to ``to_status``, recorded as done by ``by`` (a user or None).

    Raises :class:`TransitionError` with a sentence a curator can read when the move is not
    allowed or a required reason is missing.
    """
    to_status = Status(to_status)
    from_status = Status(initiative.status)
    reason = (reason or "").strip()
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, set()):
        raise TransitionError(
            _("“%(name)s” cannot go from “%(from)s” to “%(to)s”.")
            % {"name": initiative.name, "from": from_status.label, "to": to_status.label}
        )
    if to_status in REASON_REQUIRED and not reason:
        raise TransitionError(
            _("A reason is required to move “%(name)s” to “%(to)s”.")
            % {"name": initiative.name, "to": to_status.label}
        )
    with transaction.atomic():
        # Lock the row so that two curators deciding at once cannot both win.
        current = Initiative.objects.select_for_update().only("status").get(pk=initiative.pk)
        if current.status != from_status:
            raise TransitionError(
                _("“%(name)s” was changed by someone else meanwhile; reload and try again.")
                % {"name": initiative.name}
            )
        initiative.status = to_status
        if to_status == Status.PUBLISHED:
            initiative.published_at = timezone.now()
        initiative._history_user = by
        initiative._change_reason = f"{from_status} → {to_status}" + (
            f": {reason}" if reason else ""
        )
        initiative._moderated = True
        try:
            initiative.save()
        finally:
            del initiative._moderated
        change = StatusChange.objects.create(
            initiative=initiative,
            from_status=from_status,
            to_status=to_status,
            by=by if getattr(by, "pk", None) else None,
            reason=reason,
        )
    return change


def stored_status(initiative):
    """The status (and publication date) the database holds for ``initiative``, or None."""
    return (
        Initiative.objects.filter(pk=initiative.pk).values("status", "published_at").first()
        if initiative.pk
        else None
    )


def refuse_status_change_outside_moderation(sender, instance, raw=False, **kwargs):
    """``pre_save`` of Initiative: only :func:`transition` may change a stored status.

    New initiatives are free (a submission is pending, the demo data published); fixtures
    (``raw``) are loaded as they are.
    """
    if raw or instance.pk is None or getattr(instance, "_moderated", False):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields:
        return
    stored = stored_status(instance)
    if stored is not None and stored["status"] != instance.status:
        raise TransitionError(
            _("The status of “%(name)s” changes only through moderation (from “%(from)s”).")
            % {"name": instance.name, "from": Status(stored["status"]).label}
        )


def pending_counts():
    """What waits for the curators, for the admin index."""
    counts = Initiative.objects.aggregate(pending=Count("pk", filter=Q(status=Status.PENDING)))
    counts["corrections"] = Correction.objects.filter(status=CorrectionStatus.PENDING).count()
    return counts
