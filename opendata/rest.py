"""What every endpoint of the API v1 shares: JSON errors with reasons, CORS for reading, the
per-client rate limit (contributions/ratelimit.py), partner tokens, HTTP validators and pages."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler

from contributions.ratelimit import allow, retry_after
from initiatives import caching
from initiatives.filters import MAX_PAGE

from .forms import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .models import PartnerToken

# Headers a page of another site may read, and send when it revalidates what it fetched.
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Retry-After"
ALLOWED_REQUEST_HEADERS = "Accept-Language, If-None-Match, If-Modified-Since"


def json_errors(exc, context):
    """DRF's answer to ``exc``, with every 400 shaped as the site's other JSON errors:
    ``{"errors": {field: [reasons]}}`` (``__all__`` for the request as a whole)."""
    response = exception_handler(exc, context)
    if response is None or response.status_code != 400:
        return response
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        errors = (
            {name: [str(m) for m in _as_list(messages)] for name, messages in data.items()}
            if isinstance(data, dict)
            else {"__all__": [str(m) for m in _as_list(data)]}
        )
    else:
        errors = {"__all__": [str(exc.detail)]}
    response.data = {"errors": errors}
    return response


def _as_list(value):
    return value if isinstance(value, list) else [value]


class PartnerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer ssemap_…``: a partner's token, usable (not revoked)."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, text = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = PartnerToken.authenticate(text.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="ssemap"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                gettext_lazy("A partner's API token, given by an administrator of ssemap.")
            ),
        }


class IsPartner(BasePermission):
    message = gettext_lazy("This needs a partner's API token (Authorization: Bearer …).")

    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerToken)


class ClientRateThrottle(BaseThrottle):
    """Requests per client and window, counted in the database like every other limit:
    reads per address, a partner's writes per token."""

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, PartnerToken) else None
        if request.method in SAFE_METHODS:
            self.scope, limit = "api", settings.API_RATE_LIMIT
        else:
            self.scope, limit = "api-write", settings.API_WRITE_RATE_LIMIT
        self.client = f"token:{token.pk}" if token else None
        window = settings.API_RATE_WINDOW_SECONDS
        if allow(request, self.scope, limit, window, client=self.client):
            return True
        self.seconds = retry_after(request, self.scope, window, client=self.client)
        return False

    def wait(self):
        return self.seconds


class ApiView(GenericAPIView):
    """An endpoint of the API v1: JSON in and out, errors with reasons, rate-limited."""

    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    authentication_classes = []
    permission_classes = []
    throttle_classes = [ClientRateThrottle]
    pagination_class = None

    def get_exception_handler(self):
        return json_errors

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(IsPartner.message)
        super().permission_denied(request, message, code)

    def initial(self, request, *args, **kwargs):
        speak_readers_language(request)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE_METHODS:
            # Public data: any site may read it from a browser.
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
                response["Access-Control-Max-Age"] = "86400"
        patch_vary_headers(response, ("Accept-Language",))
        return response


def speak_readers_language(request, choice=False):
    """The language of ``Accept-Language`` (or the language cookie): the API has no language
    prefix, where LocaleMiddleware would keep the default language. With ``choice``, a
    ``lang`` parameter (the documentation's own language links) comes first."""
    asked = request.GET.get("lang") if choice else None
    if asked not in dict(settings.LANGUAGES):
        asked = translation.get_language_from_request(request)
    translation.activate(asked)
    request.LANGUAGE_CODE = translation.get_language()


def not_modified(request, key, scopes=None):
    """``(validators, 304 or None)``: the ETag and ``Last-Modified`` of an answer that depends
    on ``key`` (validated values) and on the data of ``scopes`` (initiatives/caching.py)."""
    tag = caching.etag(request, key, scopes)
    changed = caching.last_modified(request, scopes)
    timestamp = int(changed.timestamp()) if changed else None
    response = get_conditional_response(request, etag=tag, last_modified=timestamp)
    validators = {"ETag": tag}
    if changed:
        validators["Last-Modified"] = http_date(timestamp)
    if response is not None:
        response = with_validators(response, validators)
    return validators, response


def with_validators(response, validators):
    for name, value in validators.items():
        response[name] = value
    return caching.revalidate(response)


class PagePagination(BasePagination):
    """Numbered pages of a stable order (the FilterSet's, ``pk`` last): ``page`` and
    ``page_size``, with ``count``, ``next`` and ``previous`` in the answer."""

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": _("The page number, from 1."),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": _("Results per page (%(size)s unless told).")
                % {"size": DEFAULT_PAGE_SIZE},
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }
