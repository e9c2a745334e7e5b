"""What the API v1 reads besides the directory's FilterSet: page sizes, the territory list's
parameters, and a partner's initiative (the public submission form's fields and cleaning)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.forms import ChoicesField, InitiativeFieldsForm
from initiatives.filters import MAX_PAGE, MAX_QUERY_LENGTH
from initiatives.models import (
    CollaborativePractice,
    Initiative,
    LegalForm,
    LowTechQuality,
    Source,
    Status,
    Theme,
)
from territories.models import Kind

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


def page_field():
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("The page number must be a whole number from 1."),
            "min_value": _("The page number must be a whole number from 1."),
            "max_value": _("The page number is too large."),
        },
    )


class PageSizeForm(forms.Form):
    """Beside the FilterSet (as the map's zoom is): how many results per page."""

    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": _("The page size must be a whole number from 1 to %(max)s.")
            % {"max": MAX_PAGE_SIZE},
            "min_value": _("The page size must be a whole number from 1 to %(max)s.")
            % {"max": MAX_PAGE_SIZE},
            "max_value": _("The page size must be a whole number from 1 to %(max)s.")
            % {"max": MAX_PAGE_SIZE},
        },
    )

    def size(self):
        return self.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE


class TerritoryListForm(PageSizeForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        required=False,
        error_messages={"invalid_choice": _("Unknown kind of territory: “%(value)s”.")},
    )
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    page = page_field()


def slug_choices(model, label, **kwargs):
    return ChoicesField(
        label=label,
        queryset=model.objects.all(),
        to_field_name="slug",
        error_messages={
            "invalid_choice": _("Unknown value: “%(value)s”."),
            "invalid_pk_value": _("Unknown value: “%(pk)s”."),
            "invalid_list": _("Give a list of slugs."),
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


class PartnerInitiativeForm(InitiativeFieldsForm):
    """The public submission form's fields and cleaning (plain text, a real commune, the point
    near it), with reference data named by slug as in the read API."""

    themes = slug_choices(
        Theme, _("Themes"), error_messages={"required": _("Choose at least one theme.")}
    )
    practices = slug_choices(CollaborativePractice, _("Collaborative practices"), required=False)
    low_tech_qualities = slug_choices(LowTechQuality, _("Low-tech qualities"), required=False)
    legal_form = forms.ModelChoiceField(
        label=_("Legal form"),
        queryset=LegalForm.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("Unknown legal form.")},
    )

    MULTIPLE = ("themes", "practices", "low_tech_qualities")

    class Meta(InitiativeFieldsForm.Meta):
        pass

    def save_for(self, partner):
        """Stored as pending, like a public submission: nothing is public before a curator
        publishes it (curation/moderation.py)."""
        initiative = super().save(commit=False)
        initiative.status = Status.PENDING
        initiative.source = Source.SUBMISSION
        initiative.source_reference = partner.name
        initiative.submitter_name = partner.name[:120]
        initiative.submitter_email = partner.contact_email
        initiative.save()
        self.save_m2m()
        return initiative


# What a partner's JSON may hold: the public form's fields, nothing else (the commune as its
# INSEE code, or its name and department, read by territories.forms.CommuneField).
PARTNER_FIELDS = Initiative.PUBLIC_EDITABLE_FIELDS
SCALARS = (str, int, float, bool, type(None))


def form_data(body):
    """``(data for PartnerInitiativeForm, errors)`` from a JSON body: an object of known fields
    holding text, numbers or booleans (lists of slugs for the multiple ones)."""
    if not isinstance(body, dict):
        return None, {"__all__": [str(_("The body must be a JSON object."))]}
    errors = {}
    data = {}
    for name, value in body.items():
        if name not in PARTNER_FIELDS:
            errors[str(name)[:50]] = [str(_("Unknown field."))]
        elif name in PartnerInitiativeForm.MULTIPLE:
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in values):
                errors[name] = [str(_("Give a list of slugs."))]
            data[name] = values
        elif not isinstance(value, SCALARS):
            errors[name] = [str(_("Give a text, a number or a boolean."))]
        elif value is not None:
            data[name] = value
    return data, errors
