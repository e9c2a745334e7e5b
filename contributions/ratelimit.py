"""How many submissions (initiatives and corrections) one address may send per hour."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from ssemap.auth import client_ip

RATE_WINDOW_SECONDS = 3600


def client_address(request):
    # Behind the reverse proxy, the address it reports (CLIENT_IP_HEADER, docs/DEPLOY.md).
    return client_ip(request) or "unknown"


def _rate_key(request):
    return f"submission-rate:{client_address(request)}"


def rate_limited(request):
    return cache.get(_rate_key(request), 0) >= settings.SUBMISSION_RATE_LIMIT


def count_submission(request):
    key = _rate_key(request)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)


def too_many(request, template, context):
    context = {**context, "rate_limited": True, "rate_limit": settings.SUBMISSION_RATE_LIMIT}
    return render(request, template, context, status=429)
