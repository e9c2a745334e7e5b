"""The curators' forms: the map point widget of the change form, the reason for a rejection."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MapPointWidget(forms.NumberInput):
    """The longitude input, then a small Leaflet map whose pin writes latitude and longitude."""

    template_name = "curation/map_point_widget.html"

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin.css"]}
        js = ["leaflet/leaflet.js", "js/admin-map.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url, options = settings.LEAFLET_CONFIG["TILES"][0][1:3]
        context["map"] = {"tiles": url, "attribution": options.get("attribution", "")}
        return context


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with the decision, for the other curators."),
    )
