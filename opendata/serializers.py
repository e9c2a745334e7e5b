"""The shapes of the API v1's answers: they format the rows and document them (OpenAPI)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiatives.models import LeverFamily, LocationPrecision, Source, Status
from territories.models import EpciKind, Kind, SizeClass


def slugs(help_text, **kwargs):
    return serializers.ListField(child=serializers.SlugField(), help_text=help_text, **kwargs)


class InitiativeSerializer(serializers.Serializer):
    """A published initiative: the columns of the exports (initiatives/exports.py)."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)
    legal_form = serializers.CharField(allow_blank=True, help_text=_("Slug, or empty."))
    themes = slugs(_("Slugs of its themes."))
    practices = slugs(_("Slugs of its collaborative practices."))
    low_tech = serializers.IntegerField(min_value=0, max_value=1)
    low_tech_qualities = slugs(_("Slugs of its low-tech qualities."))
    levers = slugs(_("Slugs of the action levers that support it."))
    commune_code = serializers.CharField(help_text=_("INSEE code of its commune."))
    commune = serializers.CharField()
    epci = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    areas_served = slugs(_("Slugs of the territories it serves beyond its commune."))
    address = serializers.CharField(allow_blank=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    location_precision = serializers.ChoiceField(choices=LocationPrecision.choices)
    website = serializers.CharField(allow_blank=True)
    # No contact_email: the listed address is private, reached through the page's form.
    contact_phone = serializers.CharField(allow_blank=True)
    opening_hours = serializers.CharField(
        allow_blank=True, help_text=_("OpenStreetMap syntax, as given.")
    )
    year_started = serializers.IntegerField(allow_null=True)
    source = serializers.ChoiceField(choices=Source.choices)
    source_reference = serializers.CharField(allow_blank=True)
    source_name = serializers.CharField(
        allow_blank=True, help_text=_("The file or source an imported record comes from.")
    )
    source_identifier = serializers.CharField(
        allow_blank=True, help_text=_("Its identifier in that source.")
    )
    licence = serializers.CharField(help_text=_("etalab-2.0 or odbl-1.0: each record its own."))
    updated_at = serializers.CharField(help_text=_("ISO 8601."))
    confirmed_at = serializers.CharField(
        help_text=_("ISO 8601: when its people last said it is accurate.")
    )
    url = serializers.URLField(help_text=_("Its public page."))


class TerritorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    code = serializers.CharField(help_text=_("INSEE code; SIREN for intercommunalities."))
    name = serializers.CharField()
    population = serializers.IntegerField(min_value=0)
    epci_kind = serializers.ChoiceField(choices=[("", ""), *EpciKind.choices])
    size_class = serializers.ChoiceField(choices=[("", ""), *SizeClass.choices])
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    region = serializers.SlugField(allow_null=True)
    department = serializers.SlugField(allow_null=True)
    epci = serializers.SlugField(allow_null=True)
    initiative_count = serializers.IntegerField(
        min_value=0, help_text=_("Published initiatives in it.")
    )
    url = serializers.URLField(help_text=_("Its public page."))
    api_url = serializers.URLField()


class CountSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    count = serializers.IntegerField(min_value=0)


class TerritoryDetailSerializer(TerritorySerializer):
    low_tech_count = serializers.IntegerField(min_value=0)
    themes = CountSerializer(many=True, help_text=_("Published initiatives per theme."))
    practices = CountSerializer(many=True)


class ReferenceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(help_text=_("In the language asked for (Accept-Language)."))
    name_fr = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    initiative_count = serializers.IntegerField(min_value=0)


class LeverSerializer(ReferenceSerializer):
    family = serializers.ChoiceField(choices=LeverFamily.choices)
    url = serializers.URLField()


class ReferenceListSerializer(serializers.Serializer):
    results = ReferenceSerializer(many=True)


class LeverListSerializer(serializers.Serializer):
    results = LeverSerializer(many=True)


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Each parameter or field in error, with its reasons (__all__: the whole)."),
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class DuplicateSerializer(serializers.Serializer):
    name = serializers.CharField()
    commune = serializers.CharField()
    url = serializers.URLField()


class SubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.URLField(
        allow_null=True, help_text=_("Its public page, once a curator has published it.")
    )
    status_url = serializers.URLField()
    possible_duplicates = DuplicateSerializer(
        many=True, help_text=_("Published initiatives with a similar name nearby.")
    )


class ConflictSerializer(DetailSerializer):
    status_url = serializers.URLField(help_text=_("The status of what you already sent."))


class PartnerInitiativeSerializer(serializers.Serializer):
    """What a partner sends (documentation: the public form's cleaning validates it)."""

    name = serializers.CharField(max_length=150)
    summary = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=5000, required=False)
    organisation = serializers.CharField(max_length=150, required=False)
    legal_form = serializers.SlugField(required=False)
    themes = slugs(_("Slugs of its themes (at least one: /api/v1/themes/)."))
    practices = slugs(_("Slugs of its collaborative practices."), required=False)
    low_tech = serializers.BooleanField(required=False)
    low_tech_qualities = slugs(_("Slugs of its low-tech qualities."), required=False)
    commune = serializers.CharField(
        help_text=_("Its commune: INSEE code (29197) or name and department (Plouhinec (29)).")
    )
    address = serializers.CharField(max_length=250, required=False)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False)
    website = serializers.URLField(required=False)
    contact_email = serializers.EmailField(required=False)
    contact_phone = serializers.CharField(max_length=30, required=False)
    year_started = serializers.IntegerField(min_value=1800, required=False)
