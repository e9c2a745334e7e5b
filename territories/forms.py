"""The one commune resolver: what a person types (or a link carries) → one commune, or a reason.

Used by the submission and correction forms and by the directory's ``near`` filter;
``/api/communes/`` (territories/api.py) suggests communes as one types.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Territory

INSEE_CODE = re.compile(r"^(\d[\dAB]\d{3})$", re.IGNORECASE)
POSTCODE = re.compile(r"^\d{5}$")
NAME_AND_DEPARTMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<dept>\w{2,3})\)$")


def resolve_commune(text, code=""):
    """The commune meant by ``text``, or a ``ValidationError`` that says why none is.

    Accepts, in this order: the autocomplete's hidden INSEE ``code`` when ``text`` is still the
    label it wrote; a slug (what links carry); an INSEE code; a postcode shared by no other
    commune; "Name (department)", as the autocomplete writes it ("Plouhinec (29)"); a name only
    one commune has. An ambiguous postcode or name is refused with the candidates.
    """
    text = " ".join((text or "").split())
    communes = Territory.objects.communes().select_related("department")
    # The hidden code comes raw from the request: a NUL byte would be a database error.
    if code and "\x00" not in code:
        chosen = communes.filter(code=code).first()
        if chosen is not None and str(chosen) == text:
            return chosen
    if not text:
        raise forms.ValidationError(_("Choose the commune."), code="required")
    if "\x00" in text:
        raise _unknown(text)
    chosen = communes.filter(slug=text).first()
    if chosen:
        return chosen
    if INSEE_CODE.match(text):
        chosen = communes.filter(code=text.upper()).first()
        if chosen:
            return chosen
    if POSTCODE.match(text):
        matches = list(communes.filter(postcodes__contains=text)[:6])
        matches = [c for c in matches if text in c.postcodes.split()]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(
                _("Several communes share the postcode %(code)s: %(names)s. Type the name instead.")
                % {"code": text, "names": ", ".join(str(c) for c in matches[:5])},
                code="ambiguous",
            )
    match = NAME_AND_DEPARTMENT.match(text)
    if match:
        matches = list(
            communes.filter(name__iexact=match["name"], department__code__iexact=match["dept"])
        )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several communes match “%(text)s”: type the INSEE code instead.")
                % {"text": text},
                code="ambiguous",
            )
    matches = list(communes.filter(name__iexact=text)[:6])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise forms.ValidationError(
            _(
                "Several communes are called %(name)s: %(choices)s. Add the department, e.g. “%(example)s”."
            )
            % {
                "name": text,
                "choices": ", ".join(str(c) for c in matches[:5]),
                "example": str(matches[0]),
            },
            code="ambiguous",
        )
    raise _unknown(text)


def _unknown(text):
    return forms.ValidationError(
        _("No commune found for “%(text)s”. Type its name, postcode or INSEE code.")
        % {"text": text.replace("\x00", "")},
        code="unknown",
    )


class CommuneField(forms.CharField):
    """A text input resolved to a commune by :func:`resolve_commune`.

    Works with or without the autocomplete script; the form sets ``code`` from the hidden input
    the script fills with the INSEE code of the chosen suggestion. ``placed=True`` refuses a
    commune without coordinates (to measure distances from it).
    """

    code = ""

    def __init__(self, *, placed=False, **kwargs):
        self.placed = placed
        kwargs.setdefault("max_length", 160)
        kwargs.setdefault("error_messages", {"required": _("Choose the commune.")})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Territory):
            return str(value)
        if isinstance(value, int):
            return str(Territory.objects.filter(pk=value).first() or "")
        return value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        commune = resolve_commune(value, self.code)
        if self.placed and not commune.has_coordinates:
            raise _unknown(value)
        return commune
