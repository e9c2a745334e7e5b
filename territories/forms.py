"""The one commune resolver: what a person types (or a link carries) → one commune, or a reason.

Used by the submission and correction forms and by the directory's ``near`` filter;
``/api/communes/`` (territories/api.py) suggests communes as one types.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, Territory

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


MAX_AREAS = 20
AREA_SEPARATORS = re.compile(r"[;\n]")


def resolve_territory(text):
    """The territory of any level meant by ``text``, or a ``ValidationError`` saying why none is.

    Accepts a slug (what the suggestions choose), the name of the only region, department or
    intercommunality that has it, a department's code, else a commune as
    :func:`resolve_commune` reads it (INSEE code, postcode, "Name (department)", name).
    """
    text = " ".join((text or "").split())
    if "\x00" in text:
        raise _unknown_territory(text)
    territories = Territory.objects.select_related("department")
    chosen = territories.filter(slug=text).first()
    if chosen:
        return chosen
    wider = territories.exclude(kind=Kind.COMMUNE)
    matches = list(wider.filter(name__iexact=text)[:6])
    if not matches and len(text) <= 3:
        matches = list(wider.filter(kind=Kind.DEPARTMENT, code__iexact=text)[:1])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise forms.ValidationError(
            _("Several territories are called %(name)s: choose one among the suggestions.")
            % {"name": text},
            code="ambiguous",
        )
    try:
        return resolve_commune(text)
    except forms.ValidationError as error:
        if error.code == "unknown":
            raise _unknown_territory(text) from None
        raise


def _unknown_territory(text):
    return forms.ValidationError(
        _(
            "No territory found for “%(text)s”. Type the name of a commune, intercommunality, "
            "department or region."
        )
        % {"text": text.replace("\x00", "")},
        code="unknown",
    )


class TerritoriesInput(forms.TextInput):
    """Every value given under the field's name: the chosen territories' slugs (checkboxes)
    and what is typed in the text input."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class TerritoriesField(forms.Field):
    """Several territories of any level (areas served), each resolved by :func:`resolve_territory`.

    Values may repeat (one per chosen territory) and a typed value may name several,
    separated by semicolons. At most ``MAX_AREAS``; repetitions count once.
    """

    widget = TerritoriesInput

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return [v.slug if isinstance(v, Territory) else v for v in value]
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return []
        # Text from a form, a list from JSON (the partners' API) — or any other JSON value.
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        texts = []
        for item in values:
            texts.extend(part.strip() for part in AREA_SEPARATORS.split(str(item)))
        return [text for text in texts if text]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        texts = self.to_python(value)
        self.validate(texts)
        areas, errors = [], []
        for text in texts[: MAX_AREAS * 2]:
            try:
                territory = resolve_territory(text[:160])
            except forms.ValidationError as error:
                errors.extend(error.messages)
                continue
            if territory not in areas:
                areas.append(territory)
        if errors:
            raise forms.ValidationError(errors)
        if len(areas) > MAX_AREAS or len(texts) > MAX_AREAS * 2:
            raise forms.ValidationError(
                _("Choose at most %(count)s territories.") % {"count": MAX_AREAS}, code="too_many"
            )
        return areas
