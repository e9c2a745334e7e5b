"""Small cross-cutting middleware: extra security headers and one log line per request."""

import logging
import time

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from ssemap.text import has_control_characters

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DATA_SUFFIXES = (".csv", ".geojson", ".json")

request_log = logging.getLogger("ssemap.requests")


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestLogMiddleware:
    """One line per request: method, path, status and duration (JSON in production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request_log.isEnabledFor(logging.INFO):
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            request_log.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
        return response


class ControlCharactersMiddleware:
    """A 400 naming the parameter, for any query or form value holding a control character.

    One gate for every view (public pages, APIs, the admin's filters and autocomplete), so no
    view has to remember that PostgreSQL refuses NUL in text and that no one types it. Placed
    after LocaleMiddleware, so the answer speaks the visitor's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = sorted(
            {
                name
                for data in (request.GET, self._form_data(request))
                for name, values in data.lists()
                if has_control_characters(name)
                or any(isinstance(v, str) and has_control_characters(v) for v in values)
            }
        )
        if names:
            return self._refuse(request, names)
        return self.get_response(request)

    @staticmethod
    def _form_data(request):
        if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
            return QueryDict()
        # A body too large or with too many fields raises here, and Django answers 400.
        return request.POST

    @staticmethod
    def _refuse(request, names):
        reason = _("The value of “%(name)s” holds a control character (such as NUL).")
        shown = {name: repr(name) if has_control_characters(name) else name for name in names}
        errors = {shown[name]: [reason % {"name": shown[name]}] for name in names[:10]}
        # Data answers (APIs, map data, exports) in the shape of the FilterSet's errors.
        if "api" in request.path.split("/")[1:3] or request.path.endswith(DATA_SUFFIXES):
            return JsonResponse({"errors": errors}, status=400)
        reasons = [message for messages in errors.values() for message in messages]
        response = render(request, "errors/control_characters.html", {"reasons": reasons})
        response.status_code = 400
        return response
