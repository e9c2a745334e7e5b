"""The signed links of alert e-mails: confirming a subscription, and leaving it.

Both name the subscription's random key, signed with the site's secret: a link cannot be
guessed from an address, nor made for another subscription. A confirmation expires after
``ALERT_CONFIRM_DAYS``; an unsubscribe link works as long as the subscription exists.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from .models import Frequency

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def confirm_max_age():
    return settings.ALERT_CONFIRM_DAYS * 24 * 3600


def confirm_token(subscription, frequency):
    """The frequency asked travels in the link: it applies only once confirmed."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"k": subscription.key, "f": frequency}
    )


def read_confirm_token(token):
    """``(key, frequency)``, or None for a tampered or expired link."""
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=confirm_max_age()
        )
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or data.get("f") not in Frequency.values:
        return None
    return str(data.get("k")), data["f"]


def unsubscribe_token(subscription):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscription.key)


def read_unsubscribe_token(token):
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def absolute(path):
    """A link in mail sent outside any request: on the site's public address (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def site_url(viewname, subscription, *args, query=""):
    """The absolute address of ``viewname`` in the subscriber's language."""
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        path = reverse(viewname, args=args)
    return absolute(path + (f"?{query}" if query else ""))
