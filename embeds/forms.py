from django import forms
from django.utils.translation import gettext_lazy as _


class Show:
    BOTH = "both"
    MAP = "map"
    LIST = "list"
    CHOICES = [(BOTH, _("Map and list")), (MAP, _("Map only")), (LIST, _("List only"))]


class EmbedForm(forms.Form):
    """How the embedded directory looks; its filters are the FilterSet's own parameters."""

    show = forms.ChoiceField(
        label=_("Show"),
        choices=Show.CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("“show” must be map, list or both.")},
    )
    height = forms.IntegerField(
        label=_("Height in pixels"),
        required=False,
        min_value=250,
        max_value=1500,
        error_messages={
            "invalid": _("The height must be a whole number of pixels, from 250 to 1500."),
            "min_value": _("The height must be a whole number of pixels, from 250 to 1500."),
            "max_value": _("The height must be a whole number of pixels, from 250 to 1500."),
        },
    )

    def clean_show(self):
        return self.cleaned_data["show"] or Show.BOTH

    def clean_height(self):
        return self.cleaned_data["height"] or 500
