from django import forms
from django.utils.translation import gettext_lazy as _

from territories.models import Territory

MIN_COMPARED = 2
MAX_COMPARED = 4


class CompareForm(forms.Form):
    """2 to 4 territories given by slug, repeated: ``?t=metropole-de-lyon&t=…`` (shareable)."""

    t = forms.ModelMultipleChoiceField(
        label=_("Territories"),
        queryset=Territory.objects.all(),
        to_field_name="slug",
        error_messages={
            "required": _("Choose from 2 to 4 territories to compare."),
            "invalid_choice": _("Unknown territory: “%(value)s”."),
            "invalid_pk_value": _("Unknown territory: “%(pk)s”."),
        },
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["t"].required = False  # none or one: the page invites to choose more

    def clean_t(self):
        chosen = self.cleaned_data["t"]
        slugs = list(dict.fromkeys(self.data.getlist("t")))
        if len(slugs) > MAX_COMPARED:
            raise forms.ValidationError(
                _("Choose from 2 to 4 territories to compare."), code="count"
            )
        by_slug = {t.slug: t for t in chosen}
        return [by_slug[slug] for slug in slugs if slug in by_slug]


def find_territory(text):
    """The territory a person typed (name, code or postcode), the most populous first."""
    return Territory.objects.search(text[:100]).order_by("-population", "name").first()
