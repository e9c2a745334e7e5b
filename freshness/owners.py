"""The initiative's own people: those who can read its listed address.

They prove it by following a signed link sent there (``links``): "this is my initiative"
records an ``Ownership``; a correction sent through their link is marked ``from_owner`` (and
still reviewed); their "still accurate" moves the confirmation date.
"""

from django.db import transaction
from django.utils import timezone

from initiatives.models import Correction, Initiative

from . import links
from .models import Ownership, Reminder


def confirm(initiative):
    """Still accurate: the confirmation date moves to now, the entry is no longer stale.

    An ``update()``: the page's "last updated" and the history keep to real changes; the
    data-version triggers still see the write, so cached pages and map data follow.
    """
    now = timezone.now()
    Initiative.objects.filter(pk=initiative.pk).update(confirmed_at=now, stale=False)
    Reminder.objects.filter(initiative=initiative, answered_at__isnull=True).update(answered_at=now)
    initiative.confirmed_at, initiative.stale = now, False


def claim(initiative):
    """Record that the listed address confirmed the initiative is theirs (once)."""
    with transaction.atomic():
        Ownership.objects.get_or_create(initiative=initiative, email=initiative.contact_email)


def is_claimed(initiative):
    return Ownership.objects.filter(initiative=initiative, email=initiative.contact_email).exists()


def mark_owner_correction(sender, correction, request, **kwargs):
    """A correction sent from the form opened by a signed "update it" link is from its people;
    having gone through the whole entry, they also confirmed the rest of it."""
    initiative = links.read_token(request.GET.get("owner"), links.UPDATE)
    if initiative is not None and initiative.pk == correction.initiative_id:
        Correction.objects.filter(pk=correction.pk).update(from_owner=True)
        correction.from_owner = True
        confirm(initiative)
