"""Machine-readable views: map data and the open-data exports, all through one FilterSet."""

import csv
import functools
import gzip
import json
import re

from django import forms
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_GET

from . import caching, exports, licences
from .filters import NOT_FILTERING, InitiativeFilterSet
from .mapdata import map_feature_collection, scope_margin
from .models import EVERYWHERE

EXPORT_CHUNK_SIZE = 500
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class MapViewForm(forms.Form):
    zoom = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=22,
        error_messages={
            "invalid": _("The zoom must be a whole number from 0 to 22."),
            "min_value": _("The zoom must be a whole number from 0 to 22."),
            "max_value": _("The zoom must be a whole number from 0 to 22."),
        },
    )


def error_payload(*forms_):
    """Field → messages, in the active language, for a 400 answer."""
    errors = {}
    for form in forms_:
        for field, messages in form.errors.items():
            errors[field] = [str(message) for message in messages]
    return {"errors": errors}


def bad_request(*forms_):
    return JsonResponse(error_payload(*forms_), status=400)


def once_per_request(func):
    """``func(request)``, computed once per request: a view's validators (ETag,
    ``Last-Modified``) and the view itself each ask for the same FilterSet and key."""
    if getattr(func, "once_per_request", False):
        return func

    @functools.wraps(func)
    def once(request):
        done = request.__dict__.setdefault("_ssemap_once", {})
        if func not in done:
            done[func] = func(request)
        return done[func]

    once.once_per_request = True
    return once


@once_per_request
def _map_request(request):
    """The map view's FilterSet and view form."""
    return InitiativeFilterSet(request.GET), MapViewForm(request.GET)


@once_per_request
def _export_request(request):
    """The export's FilterSet."""
    return InitiativeFilterSet(request.GET)


@once_per_request
def _map_key(request):
    """``(key, scopes)``: the validated values a map answer depends on and the parts of the
    data it shows; None for an invalid request."""
    filterset, view = _map_request(request)
    if not (filterset.is_valid() and view.is_valid()):
        return None
    zoom, bbox = view.cleaned_data["zoom"], filterset.form.cleaned_data.get("bbox")
    key = caching.filter_key(filterset, exclude=NOT_FILTERING) + f"|{zoom}"
    return key, caching.filter_scopes(filterset, scope_margin(zoom, bbox))


def _export_key(request):
    filterset = _export_request(request)
    if not filterset.is_valid():
        return None
    # The order (sort, near) shapes an export; only the page does not.
    return caching.filter_key(filterset, exclude=("page",)), caching.filter_scopes(filterset)


def http_cached(key_func):
    """ETag and ``Last-Modified`` from the validated values and the version of the data shown
    (304s); none on an invalid request, whose answer is a 400. ``key_func`` runs once per
    request for both."""
    key_func = once_per_request(key_func)

    def etag(request, *args, **kwargs):
        keyed = key_func(request)
        return None if keyed is None else caching.etag(request, *keyed)

    def last_modified(request, *args, **kwargs):
        keyed = key_func(request)
        return None if keyed is None else caching.last_modified(request, keyed[1])

    return condition(etag_func=etag, last_modified_func=last_modified)


@require_GET
@gzip_page
@http_cached(_map_key)
def map_data(request):
    """GeoJSON of the filtered initiatives for the map's current view (``bbox``, ``zoom``)."""
    filterset, view = _map_request(request)
    if not (filterset.is_valid() and view.is_valid()):
        return bad_request(filterset.form, view)

    def payload():
        collection = map_feature_collection(
            filterset.qs,
            zoom=view.cleaned_data["zoom"],
            bbox=filterset.form.cleaned_data.get("bbox"),
            unbounded=filterset.queryset_without("bbox"),
            scopes=caching.filter_scopes(filterset, without=("bbox",)),
            everything=filterset.tally_territory("bbox") == EVERYWHERE,
            filtered=filterset.tally_filtered_cells("bbox"),
        )
        body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
        return gzip.compress(body, compresslevel=6)

    # Cached compressed (small in memory): a hit costs no JSON encoding and no compression.
    key, scopes = _map_key(request)
    compressed = caching.cached("map", [key], payload, scopes=scopes)
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type="application/json")
    patch_vary_headers(response, ("Accept-Language", "Accept-Encoding"))
    return caching.revalidate(response)


class _Echo:
    """A file-like object whose ``write`` returns the line: csv.writer → generator."""

    def write(self, value):
        return value


def _absolute_url_template(request):
    return request.build_absolute_uri(reverse("initiatives:detail", args=["__slug__"]))


# Rows an export hands to the server at once: one row at a time, the compression and the
# server's writes cost about as much as building the rows (a region at a million rows).
PIECE_ROWS = 200


def _in_pieces(texts):
    """``texts`` joined by ``PIECE_ROWS``."""
    piece = []
    for text in texts:
        piece.append(text)
        if len(piece) == PIECE_ROWS:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


def json_items(items):
    """``items`` as JSON, separated by ``,\n``, for a streamed list (``PIECE_ROWS`` at a
    time); the caller writes the brackets around them."""
    return _in_pieces(
        ("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False)
        for i, item in enumerate(items)
    )


def _export_rows(filterset, request):
    url_template = _absolute_url_template(request)
    yield from exports.export_rows(filterset.qs, url_template, EXPORT_CHUNK_SIZE)


MAX_NAME_PARTS_LENGTH = 100


def export_name(filterset, extension):
    """A file name that says what the file holds: ``ssemap-initiatives-metropole-de-lyon-
    alimentation-low-tech-20261129.csv``, in the order of the filters, cut to a sane length."""
    data = filterset.form.cleaned_data
    parts = []
    if data.get("territory"):
        parts.append(data["territory"].slug)
    for name in ("theme", "practice", "lever", "legal_form"):
        parts.extend(obj.slug for obj in data.get(name) or [])
    parts.extend(slugify(value) for value in data.get("size_class") or [])
    if data.get("low_tech"):
        parts.append("low-tech")
    if data.get("q"):
        parts.append(slugify(data["q"]))
    if data.get("bbox"):
        parts.append(slugify(str(_("map area"))))
    label = "-".join(part for part in parts if part)[:MAX_NAME_PARTS_LENGTH].strip("-")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return "-".join(p for p in ("ssemap-initiatives", label, stamp) if p) + f".{extension}"


def _download(response, filterset, extension, licence=None):
    name = export_name(filterset, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Share-alike records are never relabelled: a selection holding one is under their licence.
    licence = licence or licences.selection_licence(filterset.qs)
    response["Link"] = f'<{licences.url_of(licence)}>; rel="license"'
    return caching.revalidate(response)


@require_GET
@gzip_page
@http_cached(_export_key)
def export_csv(request):
    """The filtered initiatives as CSV: UTF-8 with BOM and ``;`` for French spreadsheets."""
    filterset = _export_request(request)
    if not filterset.is_valid():
        return bad_request(filterset.form)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow(exports.EXPORT_COLUMNS)
        rows = (writer.writerow(exports.csv_row(row)) for row in _export_rows(filterset, request))
        yield from _in_pieces(rows)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _download(response, filterset, "csv")


@require_GET
@gzip_page
@http_cached(_export_key)
def export_geojson(request):
    """The filtered initiatives as a GeoJSON FeatureCollection, every public column a property."""
    filterset = _export_request(request)
    if not filterset.is_valid():
        return bad_request(filterset.form)

    licence = licences.selection_licence(filterset.qs)

    def chunks():
        head = {
            "type": "FeatureCollection",
            "licence": licence.label,
            "licence_url": licences.url_of(licence),
            "attribution": "ssemap",
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['

        yield from json_items(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
            }
            for row in _export_rows(filterset, request)
        )
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/geo+json; charset=utf-8")
    return _download(response, filterset, "geojson", licence)
