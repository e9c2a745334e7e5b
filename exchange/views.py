"""The formats out, each from the published initiatives narrowed by the one FilterSet (the
directory's own query parameters): data·inclusion structures, GoGoCarto elements and taxonomy,
the DCAT catalogue. Validators (ETag, Last-Modified) and the server cache through
``initiatives.caching``; an invalid parameter is a 400 with its reasons.
"""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from initiatives import caching, exports, licences
from initiatives.api import bad_request, http_cached, json_items, once_per_request
from initiatives.filters import InitiativeFilterSet
from initiatives.models import Theme

from . import catalog
from .formats import datainclusion, gogocarto

CHUNK = 500


@once_per_request
def _filterset(request):
    """The request's FilterSet, for validators and view."""
    return InitiativeFilterSet(request.GET)


def _key(request):
    filterset = _filterset(request)
    if not filterset.is_valid():
        return None
    return caching.filter_key(filterset, exclude=("page",)), caching.filter_scopes(filterset)


def _rows(request, queryset):
    url = request.build_absolute_uri(reverse("initiatives:detail", args=["__slug__"]))
    return exports.export_rows(queryset, url, CHUNK)


def _json_stream(head, items, key):
    """``head`` (a dict) with the list ``items`` under ``key``, streamed as JSON."""
    opening = json.dumps(head, ensure_ascii=False)[:-1] if head else "{"
    yield opening + ("," if head else "") + f' "{key}": ['
    yield from json_items(items)
    yield "]}\n"


def _answer(response, licence):
    response["Link"] = f'<{licences.url_of(licence)}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ("Accept-Language",))
    return caching.revalidate(response)


@require_GET
@gzip_page
@http_cached(_key)
def datainclusion_structures(request):
    """The published initiatives as data·inclusion structures (a JSON list), less those under a
    share-alike licence, which data·inclusion could not republish under the Licence Ouverte."""
    filterset = _filterset(request)
    if not filterset.is_valid():
        return bad_request(filterset.form)
    queryset = filterset.qs.exclude(licence__in=licences.SHARE_ALIKE)

    def lines():
        yield "["
        yield from json_items(datainclusion.structure(row) for row in _rows(request, queryset))
        yield "]\n"

    response = StreamingHttpResponse(lines(), content_type="application/json; charset=utf-8")
    return _answer(response, datainclusion.LICENCE)


@require_GET
@gzip_page
@http_cached(_key)
def gogocarto_elements(request):
    """The published initiatives as GoGoCarto elements, under the licence the selection needs."""
    filterset = _filterset(request)
    if not filterset.is_valid():
        return bad_request(filterset.form)
    licence = licences.selection_licence(filterset.qs)
    names = {theme.slug: theme.name for theme in Theme.objects.all()}
    head = {
        "licence": licence.label,
        "licence_url": licences.url_of(licence),
        "ontology": "gogofull",
        "taxonomy": request.build_absolute_uri(reverse("exchange:gogocarto-taxonomy")),
    }
    elements = (gogocarto.element(row, names) for row in _rows(request, filterset.qs))
    response = StreamingHttpResponse(
        _json_stream(head, elements, "data"), content_type="application/json; charset=utf-8"
    )
    return _answer(response, licence)


def _reference_key(request):
    return "", [caching.REFERENCE_SCOPE]


@require_GET
@gzip_page
@http_cached(_reference_key)
def gogocarto_taxonomy(request):
    """Our themes as a GoGoCarto taxonomy."""
    body = caching.cached(
        "gogocarto-taxonomy",
        [],
        lambda: json.dumps(gogocarto.taxonomy(Theme.objects.all()), ensure_ascii=False),
        scopes=[caching.REFERENCE_SCOPE],
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _answer(response, licences.DEFAULT)


def _catalog_key(request):
    return request.get_host(), None


@require_GET
@gzip_page
@http_cached(_catalog_key)
def catalog_jsonld(request):
    """The DCAT catalogue of our datasets, as data.gouv.fr harvests it."""
    body = caching.cached(
        "dcat-catalog",
        [request.get_host(), request.scheme],
        lambda: json.dumps(catalog.catalog(request), ensure_ascii=False, indent=1),
    )
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    return _answer(response, licences.DEFAULT)
