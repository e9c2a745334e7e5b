"""Linked data in pages: ``{% initiative_jsonld object %}``, ``{% dataset_jsonld %}``."""

import json

from django import template
from django.utils.safestring import mark_safe

from ..catalog import initiative_thing, site_dataset

register = template.Library()

# Inside <script>, these could close the element or open a comment: escaped as JSON allows.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _script(data):
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def initiative_jsonld(context, initiative):
    return _script(initiative_thing(initiative, context["request"]))


@register.simple_tag(takes_context=True)
def dataset_jsonld(context):
    return _script(site_dataset(context["request"]))
