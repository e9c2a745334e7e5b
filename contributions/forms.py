"""Public forms: submitting an initiative, suggesting a correction."""

import io
import uuid

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator, MaxValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from initiatives.geo import distance_km
from initiatives.models import (
    CollaborativePractice,
    Initiative,
    LegalForm,
    LocationPrecision,
    LowTechQuality,
    Theme,
)
from ssemap.text import has_markup, plain_text
from territories.forms import MAX_AREAS, CommuneField, TerritoriesField
from territories.models import Territory

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
IMAGE_MAX_SIDE = 2000
# Refused before any pixel is decoded: a few hundred kilobytes of PNG can declare 12000 × 12000
# pixels, gigabytes once decoded. 40 megapixels covers every phone camera.
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_DECLARED_SIDE = 12_000
SINGLE_LINE_FIELDS = ["name", "summary", "organisation", "address", "contact_phone"]
MULTI_LINE_FIELDS = ["description"]
ADDRESS_FIELDS = ["website", "contact_email", "submitter_email"]


def clean_image(upload):
    """A verified JPEG, PNG or WebP image, re-encoded without its metadata (EXIF, GPS, …)."""
    if upload.size > settings.SUBMISSION_IMAGE_MAX_BYTES:
        raise forms.ValidationError(
            _("The image is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": settings.SUBMISSION_IMAGE_MAX_BYTES // (1024 * 1024),
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        # Image.open reads the header only: the declared size is known before any decoding.
        with Image.open(upload) as probe:
            image_format = probe.format
            check_pixels(*probe.size)
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise forms.ValidationError(
            _("This file is not an image we can read. Send a JPEG, PNG or WebP image."),
            code="invalid_image",
        ) from None
    if image_format not in IMAGE_FORMATS:
        raise forms.ValidationError(
            _("Send a JPEG, PNG or WebP image (this one is %(format)s).")
            % {"format": image_format},
            code="image_format",
        )
    image = ImageOps.exif_transpose(image)
    image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Pillow's save writes back what ``info`` holds (a JPEG comment, a PNG ICC profile, EXIF):
    # emptied, the file carries pixels only.
    image.info.clear()
    output = io.BytesIO()
    image.save(output, format=image_format, quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}")


def too_many_pixels(width=None, height=None):
    size = _("%(width)s × %(height)s pixels") % {"width": width, "height": height}
    return forms.ValidationError(
        _(
            "This image is too large (%(size)s); the limit is %(limit)s megapixels. Send a smaller copy."
        )
        % {
            "size": size if width else _("too many pixels"),
            "limit": IMAGE_MAX_PIXELS // 1_000_000,
        },
        code="too_many_pixels",
    )


def check_pixels(width, height):
    if width * height > IMAGE_MAX_PIXELS or max(width, height) > IMAGE_MAX_DECLARED_SIDE:
        raise too_many_pixels(width, height)


def refuse_markup(value):
    """Web and e-mail addresses are passed on as they are (exports, links): no markup in them."""
    if has_markup(value):
        raise forms.ValidationError(
            _("This address contains characters that have no place in it (< > \" ' ` { } \\)."),
            code="markup",
        )


phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,25}$",
    _("Enter a phone number with digits, spaces and an optional leading +."),
)


class ChoicesField(forms.ModelMultipleChoiceField):
    """Ids too large for a database key are an invalid choice, not an OverflowError (SQLite)."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_large = abs(int(str(pk).strip())) >= 2**63
            except ValueError:
                continue  # not a number: the parent class reports it
            if too_large:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def coordinate_field(label, limit):
    """A latitude (``limit`` 90) or longitude (180) in degrees; optional: the map fills it."""
    return forms.FloatField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class InitiativeFieldsForm(forms.ModelForm):
    """The public fields of an initiative, cleaned for the public: no HTML, a real place."""

    commune = CommuneField(
        label=_("Commune"),
        help_text=_(
            "Start typing its name, postcode or INSEE code, e.g. “Plouhinec (29)” or “29197”."
        ),
    )
    commune_code = forms.CharField(required=False, widget=forms.HiddenInput)
    areas_served = TerritoriesField(
        label=_("Areas served"),
        required=False,
        help_text=_(
            "Only if it serves more than its commune (a mobile shop, a service for a whole "
            "intercommunality): communes, intercommunalities, departments or regions, "
            "separated by semicolons."
        ),
    )
    latitude = coordinate_field(_("Latitude"), 90)
    longitude = coordinate_field(_("Longitude"), 180)
    legal_form = forms.ModelChoiceField(
        label=_("Legal form"), queryset=LegalForm.objects.all(), required=False
    )
    themes = ChoicesField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one theme.")},
    )
    practices = ChoicesField(
        label=_("Collaborative practices"),
        queryset=CollaborativePractice.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    low_tech_qualities = ChoicesField(
        label=_("Low-tech qualities"),
        queryset=LowTechQuality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_phone = forms.CharField(
        label=_("Public contact phone"),
        max_length=30,
        required=False,
        validators=[phone_validator],
    )
    year_started = forms.IntegerField(label=_("Year started"), required=False, min_value=1800)

    class Meta:
        model = Initiative
        fields = list(Initiative.PUBLIC_EDITABLE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"contact_email": _("Contact e-mail (never shown)")}
        help_texts = {
            "summary": _("One or two sentences, up to 300 characters."),
            "contact_email": _(
                "Never shown on the site: visitors write through a form, and once a year we ask "
                "this address whether the page is still accurate."
            ),
            "website": _("The full address, starting with https://"),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "contributions/field.html"
        for name in ADDRESS_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(refuse_markup)
        this_year = timezone.now().year
        self.fields["year_started"].validators.append(MaxValueValidator(this_year))
        self.fields["year_started"].widget.attrs["max"] = this_year
        if self.instance.pk and self.instance.commune_id:
            self.fields["commune_code"].initial = self.instance.commune.code
        if self.is_bound:
            self.fields["commune"].code = self.data.get("commune_code", "")
        self.fields["description"].max_length = 5000
        self.fields["description"].validators.append(MaxLengthValidator(5000))
        self.fields["description"].widget.attrs["maxlength"] = 5000
        self.fields["latitude"].help_text = _(
            "Filled in by the map; without it, the centre of the commune. "
            "It must be within %(km)s km of the commune."
        ) % {"km": settings.SUBMISSION_MAX_DISTANCE_KM}

    def chosen_areas(self):
        """The areas served to show as chosen: as sent (those resolved), else as stored."""
        if not self.is_bound:
            return list(
                self.get_initial_for_field(self.fields["areas_served"], "areas_served") or []
            )
        if "areas_served" in getattr(self, "cleaned_data", {}):
            return self.cleaned_data["areas_served"]
        slugs = [v for v in self.data.getlist("areas_served") if len(v) <= 160][: MAX_AREAS * 2]
        return list(Territory.objects.filter(slug__in=slugs).select_related("department"))

    def typed_areas(self):
        """What was typed in the areas' text input and not resolved (shown back with its error)."""
        if not self.is_bound or "areas_served" not in self.errors:
            return ""
        chosen = {t.slug for t in self.chosen_areas()}
        return "; ".join(v for v in self.data.getlist("areas_served") if v and v not in chosen)

    def clean(self):
        cleaned = super().clean()
        for field in SINGLE_LINE_FIELDS + MULTI_LINE_FIELDS:
            if field in cleaned:
                cleaned[field] = plain_text(cleaned[field], single_line=field in SINGLE_LINE_FIELDS)
        for field in ("name", "summary"):
            if field in cleaned and not cleaned[field] and field not in self.errors:
                self.add_error(field, _("This field cannot be only HTML or spaces."))
        if cleaned.get("low_tech_qualities"):
            cleaned["low_tech"] = True
        self.clean_place(cleaned)
        return cleaned

    def clean_place(self, cleaned):
        commune = cleaned.get("commune")
        if not isinstance(commune, Territory):
            return
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return
        if lat is None and lon is None:
            cleaned["latitude"], cleaned["longitude"] = commune.latitude, commune.longitude
            # Shown as such on the map and the page: it is not the initiative's address.
            self.instance.location_precision = LocationPrecision.COMMUNE
            return
        self.instance.location_precision = LocationPrecision.EXACT
        if lat is None or lon is None:
            self.add_error(
                "latitude" if lat is None else "longitude",
                _("Give both the latitude and the longitude, or neither."),
            )
            return
        if commune.has_coordinates and (
            distance_km(lat, lon, commune.latitude, commune.longitude)
            > settings.SUBMISSION_MAX_DISTANCE_KM
        ):
            self.add_error(
                "latitude",
                _(
                    "This point is more than %(km)s km from the centre of %(commune)s: "
                    "check the commune or move the pin."
                )
                % {"km": settings.SUBMISSION_MAX_DISTANCE_KM, "commune": commune},
            )


class SubmitterFields(forms.Form):
    """Who sends it (private), consent, and a honeypot for bots."""

    submitter_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("Private: only the curators see it."),
    )
    submitter_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("Private: we write to you only about this submission."),
    )
    # Hidden from people (CSS) and from screen readers (aria-hidden), named to tempt bots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_submitter_name(self):
        return plain_text(self.cleaned_data["submitter_name"])

    @property
    def is_bot(self):
        return bool(self.data.get("homepage"))


class SubmissionForm(InitiativeFieldsForm):
    image = forms.FileField(
        label=_("Image"),
        required=False,
    )
    submitter_name = SubmitterFields.base_fields["submitter_name"]
    submitter_email = SubmitterFields.base_fields["submitter_email"]
    consent = forms.BooleanField(
        label=_(
            "I agree that this information, except my name and e-mail, is published under the "
            "directory's terms, and I confirm it is accurate."
        ),
        error_messages={"required": _("Tick this box to send your submission.")},
    )
    homepage = SubmitterFields.base_fields["homepage"]

    class Meta(InitiativeFieldsForm.Meta):
        fields = [*InitiativeFieldsForm.Meta.fields, "image"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("Optional. JPEG, PNG or WebP, up to %(mb)s MB.") % {
            "mb": settings.SUBMISSION_IMAGE_MAX_BYTES // (1024 * 1024)
        }
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    clean_submitter_name = SubmitterFields.clean_submitter_name
    is_bot = SubmitterFields.is_bot

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return clean_image(upload) if upload else None

    def save(self, commit=True):
        initiative = super().save(commit=False)
        initiative.status = "pending"
        initiative.source = "submission"
        initiative.submitter_name = self.cleaned_data["submitter_name"]
        initiative.submitter_email = self.cleaned_data["submitter_email"]
        if commit:
            initiative.save()
            self.save_m2m()
        return initiative


class CorrectionForm(InitiativeFieldsForm):
    """The public fields prefilled with the published values, plus who suggests what and why."""

    message = forms.CharField(
        label=_("What is wrong, and how do you know?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submitter_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    submitter_email = forms.EmailField(
        label=_("Your e-mail"),
        required=False,
        help_text=_("Optional and private: so that a curator can ask you a question."),
    )
    homepage = SubmitterFields.base_fields["homepage"]
    # The signed fingerprints of the values the form showed (corrections.seen_token).
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    is_bot = SubmitterFields.is_bot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The listed address is never shown on a page (freshness/ relays messages to it): the
        # field starts empty, and left empty keeps the current address.
        self.initial["contact_email"] = ""
        self.fields["contact_email"].help_text = _(
            "Private. Leave empty to keep the current address; type one to replace it."
        )

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"] or self.instance.contact_email

    def clean_message(self):
        return plain_text(self.cleaned_data["message"], single_line=False)

    def clean_submitter_name(self):
        return plain_text(self.cleaned_data["submitter_name"])
