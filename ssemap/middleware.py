"""Small cross-cutting middleware: extra security headers and one log line per request."""

import logging
import time

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from ssemap.text import has_control_characters

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

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
        shown = [repr(n) if has_control_characters(n) else n for n in names][:10]
        reason = _("The value of “%(name)s” holds a control character (such as NUL).")
        reasons = [reason % {"name": name} for name in shown]
        if "api" in request.path.split("/")[1:3]:  # /api/… and /en/api/…
            return JsonResponse({"errors": reasons}, status=400)
        response = render(request, "errors/control_characters.html", {"reasons": reasons})
        response.status_code = 400
        return response
