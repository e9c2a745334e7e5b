"""Small template helpers of the public pages."""

from django import template
from django.urls import translate_url

from ..directory import reference_list
from ..memberships import ARRAYS
from ..models import Initiative

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """The current page, query string included, in ``language``."""
    request = context.get("request")
    if request is None:
        return "/" if language == "fr" else f"/{language}/"
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def directory_url(context, **params):
    """The directory filtered by ``params`` (e.g. ``theme=slug``), as a link target."""
    from django.http import QueryDict
    from django.urls import reverse

    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    base = reverse("initiatives:list")
    return f"{base}?{encoded}" if encoded else base


@register.filter
def safe_json(value):
    """``value`` as JSON text for a data attribute (autoescaping still applies)."""
    import json

    return "" if value in (None, "") else json.dumps(value)


@register.simple_tag
def map_themes():
    """The themes in order, for the map legend (cached with the data version)."""
    from initiatives.directory import reference_list
    from initiatives.models import Theme

    return reference_list(Theme)


@register.filter
def distance_km(value):
    """The ``distance`` a distance sort annotates (squared degrees, ``geo.distance_from``) in
    kilometres, as text; empty when the list is not sorted by distance."""
    import math

    from django.utils.formats import number_format

    from initiatives.geo import KM_PER_DEGREE

    if not isinstance(value, int | float):
        return ""
    km = math.sqrt(value) * KM_PER_DEGREE
    digits = 1 if km < 10 else 0
    # Rounded here: number_format cuts a float's decimals (6.78 would read 6.7), and the map's
    # popups (static/js/map.js, distanceText) round.
    return f"{number_format(round(km, digits), digits, force_grouping=True)} km"


@register.filter
def linked(initiative, name):
    """The ``name`` (themes, practices, levers) of ``initiative``, in their own order.

    On PostgreSQL each row carries the ids of its themes, practices and levers
    (``memberships``): they are named from the reference list each process keeps, with no
    query, where a prefetch cost one query and its Python per list or page. Elsewhere they
    are read as Django reads them (prefetched by the views).
    """
    ids = getattr(initiative, ARRAYS[name])
    if ids is None:  # SQLite keeps no copy
        return getattr(initiative, name).all()
    wanted = set(ids)
    model = Initiative._meta.get_field(name).related_model
    return [item for item in reference_list(model) if item.pk in wanted]


@register.filter
def themes(initiative):
    """The themes of ``initiative``, as a card shows them (``linked``)."""
    return linked(initiative, "themes")
