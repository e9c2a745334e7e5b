"""Signed, expiring links mailed to an initiative's listed address.

Whoever follows one can read that mailbox: that is the proof of being the initiative's own
people, with no account. A link names its initiative and its action, and carries a digest of
the address it was sent to, so it stops working once the listed address changes.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse

from initiatives.models import Initiative

SALT = "ssemap.freshness.link"
CONFIRM, UPDATE, CLOSED, CLAIM = "confirm", "update", "closed", "claim"
ACTIONS = (CONFIRM, UPDATE, CLOSED, CLAIM)


def _address_digest(address):
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def make_token(initiative, action):
    payload = {"i": initiative.pk, "a": action, "e": _address_digest(initiative.contact_email)}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token, action):
    """The published initiative a valid, unexpired ``action`` link is about; else None."""
    max_age = settings.FRESHNESS_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=max_age)
    except signing.BadSignature:  # forged, damaged or expired (SignatureExpired)
        return None
    if not isinstance(payload, dict) or payload.get("a") != action:
        return None
    initiative = Initiative.objects.published().filter(pk=payload.get("i")).first()
    if initiative is None or not initiative.contact_email:
        return None
    if payload.get("e") != _address_digest(initiative.contact_email):
        return None
    return initiative


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def links_for(initiative):
    """The absolute links of a reminder: still accurate, update it, it has closed."""
    update = reverse("contributions:correct", args=[initiative.slug])
    return {
        "confirm_url": absolute(
            reverse("freshness:confirm", args=[make_token(initiative, CONFIRM)])
        ),
        "update_url": absolute(f"{update}?owner={make_token(initiative, UPDATE)}"),
        "closed_url": absolute(reverse("freshness:closed", args=[make_token(initiative, CLOSED)])),
        "page_url": absolute(initiative.get_absolute_url()),
    }
