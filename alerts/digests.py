"""The alert e-mails: the confirmation asked for, and the digests of what is new in a view.

Every message is a task (``contributions.emails.send_email``: retried, never sent within a
request), enqueued once the transaction commits. ``send_digests`` is run by a scheduler
(docs/DEPLOY.md) and is idempotent: each subscription is claimed by a conditional update of
its ``digest_since`` before anything is queued, so a second run, even a concurrent one, finds
nothing due and sends nothing twice.
"""

import calendar
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contributions.emails import send_email
from initiatives.directory import Directory

from . import links
from .models import Frequency, Subscription

# At most this many initiatives are listed in one digest; the rest are a link away.
DIGEST_LIMIT = 30
# A daily scheduler may run a little earlier than a week after the last run: within this
# margin a digest is due all the same, so it never slips a whole day.
DUE_MARGIN = timedelta(hours=12)


def add_month(moment):
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def next_due(subscription):
    since = subscription.digest_since
    if subscription.frequency == Frequency.MONTHLY:
        return add_month(since)
    return since + timedelta(days=7)


def describe(subscription_or_filterset):
    """The view in words (its filters, as the directory's chips name them)."""
    filterset = getattr(subscription_or_filterset, "filterset", subscription_or_filterset)
    chips = Directory(filterset, "").chips()
    return " · ".join(chip.label for chip in chips) or _("All initiatives")


def news(subscription, since, until):
    """The view's initiatives published in ``(since, until]``, oldest first."""
    filterset = subscription.filterset
    return (
        filterset.queryset_without()
        .filter(published_at__gt=since, published_at__lte=until)
        .select_related("commune")
        .order_by("published_at", "pk")
    )


def _enqueue(subscription, subject, template, context, headers=None):
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        subject, body = str(subject), render_to_string(template, context)
    transaction.on_commit(
        lambda: send_email.enqueue(subject, body, [subscription.email], headers=headers)
    )


def enqueue_confirmation(subscription, frequency):
    """The double opt-in: nothing is ever sent to the address but this, until confirmed."""
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        token = links.confirm_token(subscription, frequency)
        _enqueue(
            subscription,
            _("Confirm your ssemap alert"),
            "alerts/emails/confirm.txt",
            {
                "view": describe(subscription),
                "frequency": Frequency(frequency).label,
                "confirm_url": links.site_url("alerts:confirm", subscription, token),
                "days": settings.ALERT_CONFIRM_DAYS,
            },
        )


def enqueue_digest(subscription, initiatives, total):
    unsubscribe_url = links.site_url(
        "alerts:unsubscribe", subscription, links.unsubscribe_token(subscription)
    )
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        view_url = links.site_url("initiatives:list", subscription, query=subscription.query)
        subject = ngettext(
            "%(count)s new initiative in your ssemap alert",
            "%(count)s new initiatives in your ssemap alert",
            total,
        ) % {"count": total}
        context = {
            "view": describe(subscription),
            "initiatives": [
                (i, links.site_url("initiatives:detail", subscription, i.slug)) for i in initiatives
            ],
            "more": total - len(initiatives),
            "view_url": view_url,
            "unsubscribe_url": unsubscribe_url,
        }
        # RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that POSTs here.
        # RFC 2919 and 3834: mail programs can file the digests, and never answer them.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"ssemap alerts <alerts.{urlsplit(settings.SITE_URL).hostname}>",
            "Auto-Submitted": "auto-generated",
        }
        _enqueue(subscription, subject, "alerts/emails/digest.txt", context, headers)


def send_digests(now=None):
    """Queue the digest of every confirmed subscription that is due; the number queued."""
    now = now or timezone.now()
    sent = 0
    candidates = Subscription.objects.filter(
        confirmed_at__isnull=False, digest_since__lte=now - timedelta(days=7) + DUE_MARGIN
    )
    for subscription in candidates.iterator():
        if next_due(subscription) > now + DUE_MARGIN:
            continue
        with transaction.atomic():
            # The claim: only one run moves this subscription's mark from where it was.
            claimed = Subscription.objects.filter(
                pk=subscription.pk, digest_since=subscription.digest_since
            ).update(digest_since=now)
            if not claimed:
                continue
            found = news(subscription, subscription.digest_since, now)
            initiatives = list(found[:DIGEST_LIMIT])
            if initiatives:
                total = len(initiatives) if len(initiatives) < DIGEST_LIMIT else found.count()
                enqueue_digest(subscription, initiatives, total)
                sent += 1
    return sent


def purge_unconfirmed(now=None):
    """Delete the addresses never confirmed once their link has expired; how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ALERT_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
