"""``/healthz``: is this instance able to serve? Checks the database with one cheap query."""

import logging

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
    return JsonResponse({"status": "ok"})
