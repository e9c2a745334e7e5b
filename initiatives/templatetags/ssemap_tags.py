"""Small template helpers of the public pages."""

from django import template
from django.urls import translate_url

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
    from initiatives.directory import _reference
    from initiatives.models import Theme

    return _reference(Theme)


@register.simple_tag
def distance_label(initiative, directory):
    """« 3,2 km » from the commune the directory is sorted by distance from, else empty."""
    from django.utils.formats import number_format

    from initiatives.filters import Sort
    from initiatives.geo import distance_km

    filterset = getattr(directory, "filterset", None)  # pages without a directory pass ""
    if filterset is None or filterset.effective_sort() != Sort.DISTANCE:
        return ""
    near = directory.cleaned.get("near")
    if near is None or initiative.latitude is None:
        return ""
    km = distance_km(near.latitude, near.longitude, initiative.latitude, initiative.longitude)
    return f"{number_format(km, 1 if km < 10 else 0, force_grouping=True)} km"
