"""Machine-readable views of the administrative map: territory suggestions as one types.

``/api/territories/?q=…`` suggests any territory — region, department, intercommunality,
commune — for the directory's territory filter and the territory list page (an ARIA combobox,
static/js/combobox.js); ``/api/communes/`` suggests communes only, for the commune inputs of the
submission and correction forms.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .forms import POSTCODE
from .models import Kind, Territory

SUGGESTION_COUNT = 10
MIN_LENGTH = 2
MAX_LENGTH = 80


def clean_query(raw):
    """Printable characters, single spaces, at most ``MAX_LENGTH``.

    Control characters never get here (ssemap.middleware answers 400). What is dropped are
    the invisible ones a copy and paste brings — zero-width spaces, no-break spaces, direction
    marks — which would make "Saint-Denis" match nothing; a suggestion query is not stored.
    """
    text = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(text.split())[:MAX_LENGTH]


def suggest(text, limit=SUGGESTION_COUNT):
    """Territories whose name starts with ``text`` (or has a word that does), or whose code or
    postcode is ``text``: exact names first, then the most populous."""
    condition = (
        Q(name__istartswith=text)
        | Q(name__icontains=f" {text}")
        | Q(name__icontains=f"-{text}")
        | Q(name__icontains=f"'{text}")
        | Q(code__iexact=text)
    )
    if POSTCODE.match(text):
        condition |= Q(postcodes__contains=text)
    matches = Territory.objects.filter(condition)
    return list(
        matches.select_related("department")
        .annotate(
            exact=Case(
                When(Q(name__iexact=text) | Q(code__iexact=text), then=Value(0)),
                When(name__istartswith=text, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("exact", "-population", "name")[:limit]
    )


def territory_json(territory):
    kind = territory.get_epci_kind_display() if territory.kind == Kind.EPCI else None
    details = [str(kind or territory.get_kind_display())]
    if territory.kind in (Kind.COMMUNE, Kind.EPCI) and territory.department_id:
        details.append(territory.department.name)
    return {
        "slug": territory.slug,
        "label": str(territory),
        "kind": territory.kind,
        "detail": " · ".join(details),
        "url": territory.get_absolute_url(),
    }


@require_GET
def territories(request):
    """Up to ten territories of any kind matching ``q``, the likeliest first."""
    text = clean_query(request.GET.get("q", ""))
    if len(text) < MIN_LENGTH:
        return JsonResponse({"results": []})
    return JsonResponse({"results": [territory_json(t) for t in suggest(text)]})


def commune_json(commune):
    return {
        "code": commune.code,
        "name": commune.name,
        "label": str(commune),
        "department": commune.department.name if commune.department_id else "",
        "postcodes": commune.postcodes.split(),
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


@require_GET
def communes(request):
    """Communes matching ``q`` (name prefix, postcode or INSEE code), the likeliest first.

    The suggestions of the commune inputs; what is finally typed is read by
    ``territories.forms.resolve_commune``.
    """
    text = clean_query(request.GET.get("q", ""))
    if len(text) < MIN_LENGTH:
        return JsonResponse({"results": []})
    matches = (
        Territory.objects.communes()
        .search(text)
        .select_related("department")
        .annotate(
            exact=Case(
                When(name__iexact=text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("exact", "-population", "name")[:10]
    )
    return JsonResponse({"results": [commune_json(c) for c in matches]})
