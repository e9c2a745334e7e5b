"""``/healthz``: is this instance able to serve? Checks the database with one cheap query, and
the cache with a probe: without the database it cannot serve (503); without the cache it serves
more slowly (200, "degraded"), so a load balancer keeps it while an operator is told."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("health check: database unavailable", exc_info=True)
        return JsonResponse({"status": "error"}, status=503)
    try:
        check = getattr(cache, "check", None)  # ssemap/cache.py's FailSoftCache
        if check is not None:
            check()
    except Exception:
        log.warning("health check: cache unavailable", exc_info=True)
        return JsonResponse({"status": "degraded", "degraded": ["cache"]})
    return JsonResponse({"status": "ok"})
