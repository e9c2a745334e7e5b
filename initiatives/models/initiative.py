"""An SSE or low-tech initiative: what it is, where, how to reach it, and its provenance."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from territories.models import Kind, Territory

from ..geo import grid_position
from ..hours import HELP_TEXT as HOURS_HELP_TEXT
from ..hours import MAX_LENGTH as HOURS_MAX_LENGTH
from ..hours import validate_opening_hours
from ..licences import DEFAULT as DEFAULT_LICENCE
from ..licences import Licence, url_of
from .choices import LocationPrecision, Source, Status
from .memberships import Memberships
from .queryset import InitiativeQuerySet
from .reference import ActionLever, CollaborativePractice, LegalForm, LowTechQuality, Theme

# What the filters read besides the memberships, in the map grid's covering index.
COVERED = ("low_tech", "legal_form", "commune", "epci", "department", "region")


def commune_container(on_delete):
    """A territory containing the initiative's commune, copied from it on save."""
    return models.ForeignKey(
        Territory, on_delete=on_delete, null=True, blank=True, editable=False, related_name="+"
    )


def initiative_image_path(instance, filename):
    return f"initiatives/{timezone.now():%Y/%m}/{filename}"


class Initiative(Memberships):
    # What it is
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    legal_form = models.ForeignKey(
        LegalForm,
        verbose_name=_("legal form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="initiatives")
    practices = models.ManyToManyField(
        CollaborativePractice,
        verbose_name=_("collaborative practices"),
        blank=True,
        related_name="initiatives",
    )
    low_tech = models.BooleanField(_("low-tech"), default=False)
    low_tech_qualities = models.ManyToManyField(
        LowTechQuality, verbose_name=_("low-tech qualities"), blank=True, related_name="+"
    )
    levers = models.ManyToManyField(
        ActionLever,
        verbose_name=_("action levers that support it"),
        blank=True,
        related_name="initiatives",
    )

    # Where it is
    commune = models.ForeignKey(
        Territory,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="initiatives",
        limit_choices_to={"kind": Kind.COMMUNE},
    )
    # The commune's containers (TERRITORY_COLUMN), copied on save.
    epci = commune_container(models.SET_NULL)
    department = commune_container(models.PROTECT)
    region = commune_container(models.PROTECT)
    address = models.CharField(_("street address"), max_length=250, blank=True)
    # Beyond its address: the territories it serves (a mobile grocery, a cooperative serving a
    # whole intercommunality). The territory filter can include them (``serving``).
    areas_served = models.ManyToManyField(
        Territory,
        verbose_name=_("areas served"),
        blank=True,
        related_name="+",
        help_text=_("The territories it serves beyond its own commune, if any."),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    location_precision = models.CharField(
        _("precision of the location"),
        max_length=12,
        choices=LocationPrecision.choices,
        default=LocationPrecision.EXACT,
        help_text=_("An approximate point must not be read as an address."),
    )
    # Web Mercator position at zoom 24 (initiatives/geo.py), set on save: map clusters are
    # GROUP BYs on integer divisions of these.
    tile_x = models.PositiveIntegerField(default=0, editable=False)
    tile_y = models.PositiveIntegerField(default=0, editable=False)
    # PostgreSQL only: the weighted full-text document, kept up to date by a trigger
    # (migration 0003) and indexed with GIN. Unused (NULL) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    # How to reach it
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    year_started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    image = models.ImageField(_("image"), upload_to=initiative_image_path, blank=True)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=HOURS_MAX_LENGTH,
        blank=True,
        validators=[validate_opening_hours],
        help_text=HOURS_HELP_TEXT,
    )

    # Freshness (freshness/): when its people last said it is still true; ``stale`` is set by
    # the daily reminder command once that is too long ago, so pages, map and caches read a
    # stored, versioned fact rather than the clock.
    confirmed_at = models.DateTimeField(_("last confirmed"), default=timezone.now)
    stale = models.BooleanField(_("not confirmed for long"), default=False, editable=False)

    # Curation and provenance
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.CURATOR
    )
    source_reference = models.CharField(
        _("reference of the source"),
        max_length=300,
        blank=True,
        help_text=_("The document or dataset the facts come from."),
    )
    # Provenance of records that come from elsewhere (exchange/: importers, partners): the file
    # or source they come from and their identifier there, so that a re-import updates them.
    source_name = models.CharField(_("source name"), max_length=150, blank=True)
    source_identifier = models.CharField(_("identifier in the source"), max_length=200, blank=True)
    licence = models.CharField(
        _("licence"), max_length=12, choices=Licence.choices, default=DEFAULT_LICENCE
    )
    refreshed_at = models.DateTimeField(_("imported or refreshed"), null=True, blank=True)
    submitter_name = models.CharField(_("submitter's name"), max_length=120, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "epci",
            "department",
            "region",
            "updated_at",
            "tile_x",
            "tile_y",
            "search_vector",
            "stale",
            *Memberships.FIELDS,
        ],
        m2m_fields=[themes, practices, levers, low_tech_qualities],
    )

    # How to reach it (the admin's "Public contact" fieldset); the address itself is never
    # shown on a page: messages are relayed to it (freshness/).
    CONTACT_FIELDS = ("website", "contact_email", "contact_phone", "opening_hours")
    # Never shown on a public page, map payload or export.
    PRIVATE_FIELDS = ("submitter_name", "submitter_email")
    # What the public submission form asks for and what a suggested correction may change.
    PUBLIC_EDITABLE_FIELDS = (
        "name",
        "summary",
        "description",
        "organisation",
        "legal_form",
        "themes",
        "practices",
        "low_tech",
        "low_tech_qualities",
        "commune",
        "areas_served",
        "address",
        "latitude",
        "longitude",
        "website",
        "contact_email",
        "contact_phone",
        "opening_hours",
        "year_started",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="initiative_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(licence__in=Licence.values), name="initiative_licence_valid"
            ),
            models.UniqueConstraint(
                fields=["source_name", "source_identifier"],
                condition=~Q(source_identifier=""),
                name="initiative_source_identifier_unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90),
                name="initiative_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="initiative_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(year_started__isnull=True)
                | Q(year_started__gte=1800, year_started__lte=2100),
                name="initiative_year_started_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="initiative_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["status", "-published_at"]),
            # A region's or department's initiatives, covered like the map grid's (PostgreSQL):
            # their facet counts with other filters read no row.
            models.Index(
                fields=["status", "region", "department"],
                include=[*COVERED[:4], *Memberships.FIELDS],
                name="initiative_in_region",
            ),
            models.Index(fields=["status", "department"]),
            models.Index(fields=["status", "epci"]),
            models.Index(fields=["status", "commune"]),
            models.Index(fields=["status", "low_tech"]),
            models.Index(fields=["status", "latitude", "longitude"]),
            models.Index(fields=["source"]),
            # Covers the map's clusters and, on PostgreSQL, the facet counts of any filters:
            # index-only scans (initiatives/memberships.py).
            models.Index(
                fields=["status", "tile_x", "tile_y", "latitude", "longitude", "id"],
                include=[*COVERED, *Memberships.FIELDS],
                name="initiative_map_cells",
            ),
            models.Index(fields=["status", "legal_form"], name="initiative_status_form"),
            models.Index(fields=["updated_at"], name="initiative_updated_at"),
            models.Index(fields=["status", "confirmed_at"], name="initiative_confirmed"),
            # "Open now" reads the distinct hours texts: the few rows that have any.
            models.Index(
                fields=["opening_hours", "region"],
                condition=~Q(opening_hours=""),
                name="initiative_with_hours",
            ),
            # The few records under another licence than the default: whether a selection
            # holds one is then an index probe (licences.selection_licence).
            models.Index(
                fields=["licence", "status"],
                condition=~Q(licence=DEFAULT_LICENCE),
                name="initiative_other_licence",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        self.copy_commune_containers()
        self.set_grid_position()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.slug])

    def copy_commune_containers(self):
        if self.commune_id:
            commune = self.commune
            self.epci_id = commune.epci_id
            self.department_id = commune.department_id
            self.region_id = commune.region_id

    def set_grid_position(self):
        if self.latitude is not None and self.longitude is not None:
            self.tile_x, self.tile_y = grid_position(self.latitude, self.longitude)

    def unique_slug(self):
        base = slugify(self.name)[:150] or "initiative"
        slug, n = base, 1
        while Initiative.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def licence_url(self):
        return url_of(self.licence)

    @property
    def is_sample(self):
        return self.source == Source.SAMPLE
