"""Error pages that never show a stack trace, and a clear 503 while the database is down."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader

DATABASE_RETRY_AFTER_SECONDS = 30


def server_error(request):
    """``handler500``: a database outage becomes a 503 the visitor can understand and retry.

    Runs inside Django's exception handling, so ``sys.exc_info()`` is the uncaught error. The
    templates are rendered without the request's context processors, which could query the
    very database that just failed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        template = loader.get_template("503.html")
        response = HttpResponseServerError(template.render(), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
