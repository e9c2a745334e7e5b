"""Reads on a PostgreSQL streaming replica, when one is configured (``DATABASE_REPLICA_URL``).

A visitor's safe request (GET, HEAD) without a session reads from the replica; everything else
reads from the primary, so whoever writes sees what they wrote (read-your-writes):
- unsafe requests (a submission, a curator's save), and, for ``PIN_SECONDS`` after one, the same
  browser's requests (a cookie: the redirect after a submission shows it, even if the replica
  lags);
- requests with a session (curators and administrators are signed in);
- anything outside a request (management commands, tasks): the default is the primary.
Writes always go to the primary. Caches key on the data version read from the same database
as the data, so a lagging replica serves consistent, slightly older answers.
"""

from contextvars import ContextVar

from django.conf import settings

PRIMARY, REPLICA = "default", "replica"
PIN_COOKIE = "ssemap_primary"
PIN_SECONDS = 30  # longer than any replication lag we accept
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_use_primary = ContextVar("ssemap_use_primary", default=True)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return PRIMARY if _use_primary.get() else REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def needs_primary(request):
    return (
        request.method not in SAFE_METHODS
        or PIN_COOKIE in request.COOKIES
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


class ReadYourWritesMiddleware:
    """Chooses the database reads use for this request (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _use_primary.set(needs_primary(request))
        try:
            response = self.get_response(request)
        finally:
            _use_primary.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
