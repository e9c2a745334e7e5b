"""The curators' forms: the map point widget of the change form, the reason for a rejection."""

from django import forms
from django.conf import settings
from django.utils.dateparse import parse_datetime
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


class InitiativeAdminForm(forms.ModelForm):
    """The initiative change form, which refuses to overwrite an edit made since it was opened.

    ``edited_version`` carries the ``updated_at`` of the row when the form was shown (read from
    the database, so that a history revert compares with the current row, not the old one). If
    the row has changed since, the save is refused and the curator sees, field by field, what
    the other person changed; the form then carries the new version, so saving again is a
    deliberate choice to keep one's own values.
    """

    edited_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = []
        if self.instance.pk:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            self.initial["edited_version"] = current.isoformat() if current else ""

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Locked until the admin's transaction ends (it also saves), so that two saves cannot
        # both pass this check.
        current = (
            type(self.instance)
            .objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        edited = self.data.get(self.add_prefix("edited_version"), "")
        if current is None or edited == current.isoformat():
            return cleaned
        self.conflicts = changes_since(self.instance.pk, edited)
        self.data = self.data.copy()
        self.data[self.add_prefix("edited_version")] = current.isoformat()
        self.take_untouched(cleaned)
        raise forms.ValidationError(
            _(
                "Someone saved this initiative after you opened it. Nothing of yours was saved: "
                "compare with their changes below, then save again to keep your values."
            ),
            code="conflict",
        )

    def take_untouched(self, cleaned):
        """Fields the other person changed and this curator left alone take the new value in the
        form shown again, so that saving again keeps both people's work."""
        stored = type(self.instance).objects.get(pk=self.instance.pk)
        for change in self.conflicts:
            name = change.get("field")
            if name not in self.fields or name not in cleaned:
                continue
            if not same(self.instance._meta.get_field(name), cleaned[name], change["raw_old"]):
                continue
            value = self.fields[name].prepare_value(
                self.instance._meta.get_field(name).value_from_object(stored)
            )
            key = self.add_prefix(name)
            if isinstance(value, list | tuple):
                self.data.setlist(key, [getattr(v, "pk", v) for v in value])
            elif isinstance(value, bool):
                if value:
                    self.data[key] = "on"
                else:
                    self.data.pop(key, None)
            else:
                self.data[key] = "" if value is None else value


def same(field, submitted, historical):
    """Whether a submitted (cleaned) value equals a value of the history (raw: ids for links)."""
    if field.many_to_many:
        key = field.related_model._meta.model_name
        return sorted(getattr(v, "pk", v) for v in submitted or []) == sorted(
            row.get(key) for row in historical or []
        )
    if field.is_relation:
        return getattr(submitted, "pk", submitted) == historical
    return (submitted if submitted not in (None, "") else "") == (
        historical if historical not in (None, "") else ""
    )


def changes_since(pk, edited_version):
    """What was saved on initiative ``pk`` after ``edited_version`` (the ISO ``updated_at`` the
    curator's form was built from): a list of {label, old, new, by, at}, one per field changed."""
    from initiatives.models import Initiative

    history = Initiative.history.filter(id=pk).order_by("history_date", "history_id")
    since = parse_datetime(edited_version or "")
    # updated_at is not kept in the history: the version shown is the first record written at or
    # after that moment (the save that set it); everything after it is someone else's.
    base = history.filter(history_date__gte=since).first() if since else None
    later = list(history.filter(history_date__gt=base.history_date)) if base else []
    if not later:
        latest = history.last()
        return (
            [
                {
                    "label": None,
                    "old": "",
                    "new": "",
                    "by": latest.history_user,
                    "at": latest.history_date,
                }
            ]
            if latest
            else []
        )
    rows = {}
    for record in later:
        for change in record.diff_against(base).changes:
            field = Initiative._meta.get_field(change.field)
            first = rows.get(change.field, {})
            rows[change.field] = {
                "field": change.field,
                "raw_old": first.get("raw_old", change.old),
                "label": field.verbose_name,
                "old": first.get("old", shown(field, change.old)),
                "new": shown(field, change.new),
                "by": record.history_user,
                "at": record.history_date,
            }
        base = record
    return [row for row in rows.values() if row["old"] != row["new"]]


def shown(field, value):
    """A historical value as a curator reads it (names for links, not ids)."""
    if field.many_to_many:
        model = field.related_model
        key = model._meta.model_name
        ids = [row.get(key) for row in value or []]
        return ", ".join(str(item) for item in model.objects.filter(pk__in=ids))
    if field.is_relation:
        return str(field.related_model.objects.filter(pk=value).first() or "") if value else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)
