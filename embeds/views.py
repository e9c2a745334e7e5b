"""The "embed this map" page, and the pages it puts in partners' iframes.

An embedded page is the directory with the view's filters locked (no filter form: its
address is its view), light (no site header or footer), without cookies (nothing here reads a
session, a CSRF token or a language cookie) and the only page any site may frame: every other
page keeps ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (settings). Links open the
full site in a new tab (``<base target="_blank">``, followed by the map's popups too).
"""

import json

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from initiatives import caching
from initiatives.directory import Directory
from initiatives.filters import InitiativeFilterSet

from .forms import EmbedForm

EMBED_PAGE_SIZE = 20
# Results within this many degrees across are framed by the map; wider, France is shown.
COMPACT_DEGREES = 12
# The embed's own parameters, beside the FilterSet's.
OWN = ("show", "height")


def framable_by_any_site(view):
    """Let any site frame the view's answers (CSP ``frame-ancestors *``, no X-Frame-Options);
    the rest of the policy stays the site's."""

    @xframe_options_exempt
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # Read at each request, so the policy in force (settings) is the one extended.
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}
        return response

    return wrapped


def _view(request):
    """The FilterSet of the view, the embed's own form, and the filters' query string."""
    filterset = InitiativeFilterSet(request.GET)
    form = EmbedForm(request.GET)
    params = request.GET.copy()
    for name in (*OWN, "page"):
        params.pop(name, None)
    return filterset, form, params.urlencode()


def _errors(*forms):
    return [message for form in forms for messages in form.errors.values() for message in messages]


@require_GET
@framable_by_any_site
def embed(request):
    filterset, form, query = _view(request)
    directory = Directory(filterset, reverse("initiatives:list"))
    if not (filterset.is_valid() and form.is_valid()):
        context = {"errors": _errors(filterset.form, form)}
        return render(request, "embeds/embed.html", context, status=400)
    show = form.cleaned_data["show"]
    rows = caching.cached(
        "embed-rows",
        [caching.filter_key(filterset, exclude=("page",))],
        lambda: list(directory.results.with_public_relations()[:EMBED_PAGE_SIZE]),
        scopes=directory.scopes,
    )
    context = {
        "directory": directory,
        "show": show,
        "rows": rows,
        "count": directory.result_count(),
        "bounds_json": json.dumps(_bounds(directory)),
        "filter_query": query,
        "full_url": directory.url_for(QueryDict(query)),
        "map_data_url": reverse("initiatives:map-data"),
    }
    return render(request, "embeds/embed.html", context)


def _bounds(directory):
    """Where the map looks first: the directory's own choice (a territory, an area), else the
    results when they lie close together (a theme found in one region); results spread over
    mainland France and overseas keep the map's view of France, with its overseas switch."""
    bounds = directory.bounds()
    if bounds or not directory.has_filters:
        return bounds
    box = caching.cached(
        "embed-bounds",
        [directory.results_key],
        directory.results.bounds,
        scopes=directory.scopes,
    )
    if box and box.east - box.west <= COMPACT_DEGREES and box.north - box.south <= COMPACT_DEGREES:
        return box.as_leaflet_bounds()
    return None


@require_GET
def builder(request):
    """Build the iframe snippet of the current view: what it shows, and its height."""
    filterset, form, query = _view(request)
    if not (filterset.is_valid() and form.is_valid()):
        context = {"errors": _errors(filterset.form, form)}
        return render(request, "embeds/builder.html", context, status=400)
    show, height = form.cleaned_data["show"], form.cleaned_data["height"]
    own = QueryDict(query, mutable=True)
    own["show"] = show
    src = request.build_absolute_uri(reverse("embeds:embed") + "?" + own.urlencode())
    context = {
        "form": EmbedForm(initial={"show": show, "height": height}),
        "filters": [(name, value) for name, values in QueryDict(query).lists() for value in values],
        "chips": Directory(filterset, "").chips(),
        "src": src,
        "height": height,
        "view_url": Directory(filterset, reverse("initiatives:list")).url_for(QueryDict(query)),
    }
    return render(request, "embeds/builder.html", context)
