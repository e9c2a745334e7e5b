"""How often one address may submit (initiatives and corrections) or ask for duplicate hints.

Every attempt that costs the server work counts — valid, invalid or caught by the honeypot —
and is stored as a row (``Attempt``), so the limit holds across workers and app servers and no
cache pressure reopens it. The decision is atomic without a lock: an attempt is written first
(committed at once), then the attempts of the window are counted, the new one included. The
k-th attempt to commit sees at least k rows, so at most ``limit`` attempts pass, however many
arrive at the same moment.
"""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from ssemap.auth import client_ip

from .models import Attempt

RATE_WINDOW_SECONDS = 3600
# One attempt in PURGE_EVERY also deletes the attempts older than every window.
PURGE_EVERY = 100


def client_address(request):
    # Behind the reverse proxy, the address it reports (CLIENT_IP_HEADER, docs/DEPLOY.md).
    return (client_ip(request) or "unknown")[:64]


def allow(request, scope, limit, window_seconds=RATE_WINDOW_SECONDS, client=None):
    """Record one attempt of ``scope`` from the request's address (or ``client``, an API
    token's id for instance); False beyond ``limit``."""
    address = client or client_address(request)
    now = timezone.now()
    recent = Attempt.objects.filter(
        scope=scope, address=address, at__gt=now - timedelta(seconds=window_seconds)
    )
    # Already over: refuse without writing, so a flood costs a read per request.
    if recent.count() >= limit:
        return False
    # Outside any transaction (views run in autocommit), so committed before the count below.
    attempt = Attempt.objects.create(scope=scope, address=address, at=now)
    if attempt.pk % PURGE_EVERY == 0:
        Attempt.objects.filter(at__lt=now - timedelta(seconds=max_window())).delete()
    return recent.count() <= limit


def retry_after(request, scope, window_seconds=RATE_WINDOW_SECONDS, client=None):
    """Seconds until the oldest attempt of the window leaves it (for ``Retry-After``)."""
    address = client or client_address(request)
    now = timezone.now()
    oldest = (
        Attempt.objects.filter(
            scope=scope, address=address, at__gt=now - timedelta(seconds=window_seconds)
        )
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    if oldest is None:
        return 1
    return max(1, int((oldest + timedelta(seconds=window_seconds) - now).total_seconds()) + 1)


def max_window():
    return max(
        RATE_WINDOW_SECONDS,
        settings.DUPLICATE_HINT_RATE_WINDOW_SECONDS,
        settings.API_RATE_WINDOW_SECONDS,
    )


def allow_submission(request):
    """One more submission attempt (initiative or correction) from this address, if allowed."""
    return allow(request, "submission", settings.SUBMISSION_RATE_LIMIT)


def too_many(request, template, context):
    context = {**context, "rate_limited": True, "rate_limit": settings.SUBMISSION_RATE_LIMIT}
    return render(request, template, context, status=429)
