"""The read API v1: initiatives through the directory's one FilterSet, territories with their
counts, and the reference lists; the OpenAPI schema and its documentation page."""

import math

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response

from initiatives import caching
from initiatives.api import error_payload
from initiatives.exports import export_rows
from initiatives.filters import NOT_FILTERING, InitiativeFilterSet
from initiatives.models import (
    ActionLever,
    CollaborativePractice,
    Initiative,
    LegalForm,
    Theme,
)
from territories.models import Kind, Territory
from territories.views import with_counts

from . import serializers as s
from .forms import PageSizeForm, TerritoryListForm
from .rest import ApiView, PagePagination, not_modified, speak_readers_language, with_validators

NOT_MODIFIED = OpenApiResponse(
    description=gettext_lazy("Not modified since the ETag or date you sent (no body).")
)
TOO_MANY = OpenApiResponse(
    s.DetailSerializer, description=gettext_lazy("Too many requests: see Retry-After.")
)
INVALID = OpenApiResponse(
    s.ErrorsSerializer, description=gettext_lazy("Invalid parameters, with the reasons.")
)
NOT_FOUND = OpenApiResponse(s.DetailSerializer, description=gettext_lazy("Not found."))


def read_responses(ok, *, invalid=True):
    responses = {200: ok, 304: NOT_MODIFIED, 404: NOT_FOUND, 429: TOO_MANY}
    if invalid:
        responses[400] = INVALID
    return responses


def page_url(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{urlencode(params, doseq=True)}")


def paged(request, rows, count, number, size, validators):
    """The page's answer: ``count``, ``next``, ``previous``, ``results``, and a Link header."""
    pages = max(1, math.ceil(count / size))
    links = {
        "next": page_url(request, number + 1) if number < pages else None,
        "previous": page_url(request, number - 1) if number > 1 else None,
    }
    response = Response({"count": count, **links, "results": rows})
    link = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    if link:
        response["Link"] = link
    return with_validators(response, validators)


def no_such_page(number, count, size):
    pages = max(1, math.ceil(count / size))
    if number > pages:
        message = _("There is no page %(number)s: the results have %(pages)s.") % {
            "number": number,
            "pages": pages,
        }
        return Response({"detail": message}, status=404)
    return None


class InitiativeList(ApiView):
    """Published initiatives, with the directory's parameters (initiatives/filters.py)."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = InitiativeFilterSet
    pagination_class = PagePagination
    serializer_class = s.InitiativeSerializer
    queryset = Initiative.objects.published()

    @extend_schema(
        summary=gettext_lazy("Published initiatives"),
        description=gettext_lazy(
            "The directory's own parameters, parsed by the same FilterSet: a link to the "
            "directory and this answer list the same initiatives, in the same order "
            "(newest first, or by relevance with q; ties broken by name then id)."
        ),
        responses=read_responses(s.InitiativeSerializer(many=True)),
    )
    def get(self, request):
        filterset = InitiativeFilterSet(request.GET)
        page_form = PageSizeForm(request.GET)
        if not (filterset.is_valid() and page_form.is_valid()):
            return Response(error_payload(filterset.form, page_form), status=400)
        number = filterset.form.cleaned_data.get("page") or 1
        size = page_form.size()
        key = caching.filter_key(filterset, exclude=("page",))
        scopes = caching.filter_scopes(filterset)
        validators, unchanged = not_modified(request, f"{key}|{number}|{size}", scopes)
        if unchanged:
            return unchanged
        count = caching.cached(
            "api-count",
            [caching.filter_key(filterset, exclude=NOT_FILTERING)],
            filterset.qs.count,
            scopes=scopes,
        )
        missing = no_such_page(number, count, size)
        if missing:
            return missing
        url_template = request.build_absolute_uri(reverse("initiatives:detail", args=["__slug__"]))

        def rows():
            start = (number - 1) * size
            slugs = list(filterset.qs.values_list("slug", flat=True)[start : start + size])
            page = Initiative.objects.filter(slug__in=slugs)
            by_slug = {row["slug"]: row for row in export_rows(page, url_template)}
            found = [by_slug[slug] for slug in slugs if slug in by_slug]
            return s.InitiativeSerializer(found, many=True).data

        results = caching.cached(
            "api-initiatives", [key, number, size, url_template], rows, scopes=scopes
        )
        return paged(request, results, count, number, size, validators)


class InitiativeDetail(ApiView):
    """A published initiative, by its slug (as in its page's address)."""

    serializer_class = s.InitiativeSerializer

    @extend_schema(
        summary=gettext_lazy("One published initiative"),
        responses=read_responses(s.InitiativeSerializer, invalid=False),
    )
    def get(self, request, slug):
        initiative = get_object_or_404(
            Initiative.objects.published().select_related("commune"), slug=slug
        )
        scopes = [caching.territory_scope(initiative.commune)]
        validators, unchanged = not_modified(request, slug, scopes)
        if unchanged:
            return unchanged
        url_template = request.build_absolute_uri(reverse("initiatives:detail", args=["__slug__"]))
        row = next(export_rows(Initiative.objects.filter(pk=initiative.pk), url_template))
        return with_validators(Response(s.InitiativeSerializer(row).data), validators)


def territory_row(request, territory):
    def slug_of(other):
        return other.slug if other else None

    return {
        "slug": territory.slug,
        "kind": territory.kind,
        "code": territory.code,
        "name": territory.name,
        "population": territory.population,
        "epci_kind": territory.epci_kind,
        "size_class": territory.size_class,
        "latitude": territory.latitude,
        "longitude": territory.longitude,
        "region": slug_of(territory.region),
        "department": slug_of(territory.department),
        "epci": slug_of(territory.epci),
        "initiative_count": territory.initiative_count,
        "url": request.build_absolute_uri(territory.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("opendata:territory", args=[territory.slug])),
    }


TERRITORY_RELATIONS = ("region", "department", "epci")


class TerritoryList(ApiView):
    """Regions, departments, intercommunalities and communes, each with its count."""

    pagination_class = PagePagination
    serializer_class = s.TerritorySerializer

    @extend_schema(
        summary=gettext_lazy("Territories"),
        description=gettext_lazy(
            "By name (then id). kind keeps one level; q keeps those whose name starts with it, "
            "or whose code or postcode is it."
        ),
        parameters=[
            OpenApiParameter("kind", str, enum=Kind.values, description=gettext_lazy("Level.")),
            OpenApiParameter(
                "q", str, description=gettext_lazy("Start of a name, a code or a postcode.")
            ),
        ],
        responses=read_responses(s.TerritorySerializer(many=True)),
    )
    def get(self, request):
        form = TerritoryListForm(request.GET)
        if not form.is_valid():
            return Response(error_payload(form), status=400)
        data = form.cleaned_data
        number, size = data.get("page") or 1, form.size()
        key = f"{data.get('kind')}|{data.get('q')}"
        validators, unchanged = not_modified(request, f"{key}|{number}|{size}")
        if unchanged:
            return unchanged
        territories = Territory.objects.all()
        if data.get("kind"):
            territories = territories.filter(kind=data["kind"])
        if data.get("q"):
            territories = territories.search(data["q"])
        count = caching.cached("api-territory-count", [key], territories.count)
        missing = no_such_page(number, count, size)
        if missing:
            return missing

        def rows():
            start = (number - 1) * size
            page = territories.select_related(*TERRITORY_RELATIONS).order_by("name", "pk")
            page = with_counts(page[start : start + size])
            return s.TerritorySerializer([territory_row(request, t) for t in page], many=True).data

        base = request.build_absolute_uri("/")
        results = caching.cached("api-territories", [key, number, size, base], rows)
        return paged(request, results, count, number, size, validators)


class TerritoryDetail(ApiView):
    """A territory, by its slug, with its published initiatives counted by theme and practice."""

    serializer_class = s.TerritoryDetailSerializer

    @extend_schema(
        summary=gettext_lazy("One territory, with its counts"),
        responses=read_responses(s.TerritoryDetailSerializer, invalid=False),
    )
    def get(self, request, slug):
        territory = get_object_or_404(
            Territory.objects.select_related(*TERRITORY_RELATIONS), slug=slug
        )
        scopes = [caching.territory_scope(territory)]
        validators, unchanged = not_modified(request, slug, scopes)
        if unchanged:
            return unchanged

        def payload():
            initiatives = Initiative.objects.published().in_territory(territory)
            territory.initiative_count = initiatives.count()
            row = territory_row(request, territory)
            row["low_tech_count"] = initiatives.low_tech().count()
            for name, model in (("themes", Theme), ("practices", CollaborativePractice)):
                counts = initiatives.count_by(name)
                row[name] = [
                    {"slug": obj.slug, "count": counts[obj.pk]}
                    for obj in model.objects.filter(pk__in=counts)
                ]
            return s.TerritoryDetailSerializer(row).data

        base = request.build_absolute_uri("/")
        data = caching.cached("api-territory", [territory.pk, base], payload, scopes=scopes)
        return with_validators(Response(data), validators)


class ReferenceList(ApiView):
    """One list of reference data, with the number of published initiatives of each value."""

    model = None
    count_field = None
    serializer = s.ReferenceSerializer

    def get(self, request):
        validators, unchanged = not_modified(request, self.model.__name__)
        if unchanged:
            return unchanged
        return with_validators(
            Response(
                caching.cached(
                    "api-reference", [self.model.__name__, request.get_host()], self.payload
                )
            ),
            validators,
        )

    def payload(self):
        counts = Initiative.objects.published().count_by(self.count_field)
        rows = [self.row(obj, counts.get(obj.pk, 0)) for obj in self.model.objects.all()]
        return {"results": self.serializer(rows, many=True).data}

    def row(self, obj, count):
        return {
            "slug": obj.slug,
            "name": obj.name,
            "name_fr": obj.name_fr,
            "name_en": obj.name_en,
            "description": obj.description,
            "initiative_count": count,
        }


def reference_view(model, count_field, summary, list_serializer=s.ReferenceListSerializer):
    view = type(
        f"{model.__name__}List",
        (ReferenceList,),
        {"model": model, "count_field": count_field, "serializer_class": list_serializer},
    )

    # A function of its own per view: extend_schema annotates the function it decorates.
    @extend_schema(summary=summary, responses=read_responses(list_serializer, invalid=False))
    def get(self, request):
        return ReferenceList.get(self, request)

    view.get = get
    return view


class LeverList(ReferenceList):
    model = ActionLever
    count_field = "levers"
    serializer = s.LeverSerializer
    serializer_class = s.LeverListSerializer

    @extend_schema(
        summary=gettext_lazy("Action levers of local authorities"),
        responses=read_responses(s.LeverListSerializer, invalid=False),
    )
    def get(self, request):
        return super().get(request)

    def row(self, obj, count):
        return {
            **super().row(obj, count),
            "family": obj.family,
            "url": self.request.build_absolute_uri(obj.get_absolute_url()),
        }


ThemeList = reference_view(Theme, "themes", gettext_lazy("Themes"))
PracticeList = reference_view(
    CollaborativePractice, "practices", gettext_lazy("Collaborative practices")
)
LegalFormList = reference_view(LegalForm, "legal_form", gettext_lazy("Legal forms"))


class Root(ApiView):
    """Where everything is: the API v1's endpoints, its schema and its documentation."""

    ENDPOINTS = (
        "initiatives",
        "territories",
        "themes",
        "practices",
        "legal_forms",
        "levers",
        "submissions",
        "schema",
        "docs",
    )

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                name: request.build_absolute_uri(reverse(f"opendata:{name}"))
                for name in self.ENDPOINTS
            }
        )


@extend_schema(exclude=True)
class NotFound(ApiView):
    """Any other address under /api/v1/: the API's JSON 404, not the site's HTML page."""

    def get(self, request, path):
        # As CommonMiddleware's APPEND_SLASH would, had this view not matched first.
        if request.method == "GET" and not path.endswith("/"):
            try:
                match = resolve(request.path_info + "/")
            except Resolver404:
                match = None
            if match and getattr(match.func, "view_class", None) is not NotFound:
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + (f"?{query}" if query else "")
                )
        raise Http404

    def post(self, request, path):
        raise Http404


class Schema(SpectacularJSONAPIView):
    """The OpenAPI 3 schema, readable from any site."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        speak_readers_language(request, choice=True)
        response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), its start-up script a
    file too: the site's CSP allows no inline script or style."""

    template_name = "opendata/docs.html"
    url_name = "opendata:schema"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        speak_readers_language(request, choice=True)
        return super().get(request, *args, **kwargs)
