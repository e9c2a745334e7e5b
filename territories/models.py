"""The French administrative map: regions, departments, intercommunalities, communes."""

from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Abs
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Population thresholds of the commune size classes (DOMAIN.md).
LARGE_CITY_MIN = 100_000
MEDIUM_CITY_MIN = 20_000
SMALL_TOWN_MIN = 2_000


class Kind(models.TextChoices):
    REGION = "region", _("Region")
    DEPARTMENT = "department", _("Department")
    EPCI = "epci", _("Intercommunality")
    COMMUNE = "commune", _("Commune")


class EpciKind(models.TextChoices):
    METROPOLE = "metropole", _("Metropolis")
    COMMUNAUTE_URBAINE = "cu", _("Urban community")
    COMMUNAUTE_AGGLOMERATION = "ca", _("Agglomeration community")
    COMMUNAUTE_COMMUNES = "cc", _("Community of communes")


class SizeClass(models.TextChoices):
    LARGE_CITY = "large_city", _("Large city")
    MEDIUM_CITY = "medium_city", _("Medium city")
    SMALL_TOWN = "small_town", _("Small town")
    RURAL = "rural", _("Rural commune")


def size_class_for(population):
    """The size class of a commune of this population (thresholds in DOMAIN.md)."""
    if population >= LARGE_CITY_MIN:
        return SizeClass.LARGE_CITY
    if population >= MEDIUM_CITY_MIN:
        return SizeClass.MEDIUM_CITY
    if population >= SMALL_TOWN_MIN:
        return SizeClass.SMALL_TOWN
    return SizeClass.RURAL


class CoordinatesSource(models.TextChoices):
    TOWN_HALL = "town_hall", _("Town hall, inside the commune's outline")
    INTERIOR = "interior", _("Point inside the commune's outline (town hall unknown or outside)")
    GEONAMES = "geonames", _("GeoNames match on name and region")
    EPCI_CENTROID = "epci", _("Centre of its intercommunality's matched communes")
    DEPARTMENT_CENTROID = "department", _("Centre of its department's matched communes")
    SEAT = "seat", _("Seat of its remote territory")
    MANUAL = "manual", _("Entered by a curator")


class ProgrammeManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Programme(models.Model):
    """A national programme a territory can belong to (Petites villes de demain, …)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    url = models.URLField(_("website"), blank=True)

    objects = ProgrammeManager()

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("national programme")
        verbose_name_plural = _("national programmes")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def name(self):
        return self.name_en if get_language() == "en" else self.name_fr

    @property
    def description(self):
        return (self.description_en if get_language() == "en" else "") or self.description_fr


class TerritoryQuerySet(models.QuerySet):
    def regions(self):
        return self.filter(kind=Kind.REGION)

    def departments(self):
        return self.filter(kind=Kind.DEPARTMENT)

    def epcis(self):
        return self.filter(kind=Kind.EPCI)

    def metropolises(self):
        return self.filter(kind=Kind.EPCI, epci_kind=EpciKind.METROPOLE)

    def communes(self):
        return self.filter(kind=Kind.COMMUNE)

    def closest_in_population(self, population, count):
        """The ``count`` of these territories closest to ``population``, by gap then name,
        each with its ``gap``.

        The closest are the first of each side in population order, so two range scans of
        ``count`` rows each find them (the ``territory_peers`` indexes), in one statement.
        Sorting every candidate by its gap read all 29,000 rural communes, with their
        department, for the page of any one of them (35 ms; a solution's page asks for four
        size classes)."""
        above = self.filter(population__gte=population).order_by("population", "name")
        below = self.filter(population__lt=population).order_by("-population", "name")
        sides = [side.values("pk")[:count].query.sql_with_params() for side in (above, below)]
        # Each side in a subquery of its own: SQLite takes no ORDER BY or LIMIT on the
        # members of a UNION, and Django's union() refuses sliced querysets there.
        closest = RawSQL(
            " UNION ALL ".join(
                f"SELECT * FROM ({sql}) side{i}" for i, (sql, _) in enumerate(sides)
            ),
            [param for _, params in sides for param in params],
        )
        return (
            self.model.objects.filter(pk__in=closest)
            .annotate(gap=Abs(F("population") - population))
            .order_by("gap", "name")[:count]
        )

    def search(self, text):
        """Territories whose name starts with ``text``, or code/postcode equals it."""
        text = text.strip()
        if not text:
            return self.none()
        return self.filter(Q(name__istartswith=text) | Q(code=text) | Q(postcodes__contains=text))


class Territory(models.Model):
    """One unit of the French administrative map, at any level.

    One table for all levels keeps "everything inside this territory" a single lookup and
    lets action levers and programmes attach to any level.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(
        _("official code"),
        max_length=12,
        help_text=_("INSEE code for regions, departments and communes; SIREN for EPCIs."),
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    epci_kind = models.CharField(
        _("kind of intercommunality"), max_length=12, choices=EpciKind.choices, blank=True
    )
    region = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Kind.REGION},
    )
    department = models.ForeignKey(
        "self",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Kind.DEPARTMENT},
    )
    epci = models.ForeignKey(
        "self",
        verbose_name=_("intercommunality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        limit_choices_to={"kind": Kind.EPCI},
    )
    size_class = models.CharField(
        _("size class"),
        max_length=12,
        choices=SizeClass.choices,
        blank=True,
        help_text=_("Communes only, derived from the population."),
    )
    postcodes = models.CharField(_("postcodes"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_source = models.CharField(
        _("source of the coordinates"),
        max_length=12,
        choices=CoordinatesSource.choices,
        blank=True,
    )
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("national programmes"), blank=True, related_name="territories"
    )
    source = models.CharField(
        _("data source"),
        max_length=200,
        default="@etalab/decoupage-administratif 6.0.0 (MIT)",
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="territory_kind_valid"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="territory_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="territory_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(epci_kind="") | Q(kind=Kind.EPCI, epci_kind__in=EpciKind.values),
                name="territory_epci_kind_only_on_epci",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.COMMUNE, population__gte=LARGE_CITY_MIN, size_class="large_city")
                    | Q(
                        kind=Kind.COMMUNE,
                        population__gte=MEDIUM_CITY_MIN,
                        population__lt=LARGE_CITY_MIN,
                        size_class="medium_city",
                    )
                    | Q(
                        kind=Kind.COMMUNE,
                        population__gte=SMALL_TOWN_MIN,
                        population__lt=MEDIUM_CITY_MIN,
                        size_class="small_town",
                    )
                    | Q(kind=Kind.COMMUNE, population__lt=SMALL_TOWN_MIN, size_class="rural")
                    | (~Q(kind=Kind.COMMUNE) & Q(size_class=""))
                ),
                name="territory_size_class_matches_population",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"]),
            # Peers: the communes of a size class, or the EPCIs of a kind, nearest in
            # population (intelligence/comparison.py).
            models.Index(fields=["kind", "size_class", "population"], name="territory_peers"),
            models.Index(fields=["kind", "epci_kind", "population"], name="territory_epci_peers"),
        ]

    def __str__(self):
        if self.kind == Kind.COMMUNE and self.department_id:
            return f"{self.name} ({self.department.code})"
        return self.name

    def save(self, *args, **kwargs):
        self.size_class = size_class_for(self.population) if self.kind == Kind.COMMUNE else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territories:detail", args=[self.slug])

    @property
    def is_metropolis(self):
        return self.kind == Kind.EPCI and self.epci_kind == EpciKind.METROPOLE

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def chain(self):
        """This territory and those containing it, smallest first (commune → region)."""
        parents = [self]
        if self.kind == Kind.COMMUNE:
            parents += [t for t in (self.epci, self.department, self.region) if t]
        elif self.kind == Kind.DEPARTMENT and self.region:
            parents.append(self.region)
        elif self.kind == Kind.EPCI and self.region:
            parents += [t for t in (self.department, self.region) if t]
        return parents


class Outline(models.Model):
    """A territory's outline, as the GeoJSON geometry the maps draw (WGS 84).

    Apart from ``Territory`` so that listing territories never reads the geometry; loaded
    from ``fixtures/territory-outlines.json.gz`` (``loader.load_outlines``).
    """

    territory = models.OneToOneField(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="outline",
    )
    geometry = models.TextField(_("GeoJSON geometry"))
    west = models.FloatField(_("west"))
    south = models.FloatField(_("south"))
    east = models.FloatField(_("east"))
    north = models.FloatField(_("north"))
    source = models.CharField(_("data source"), max_length=200)

    class Meta:
        verbose_name = _("outline")
        verbose_name_plural = _("outlines")

    def __str__(self):
        return str(self.territory)

    def as_leaflet_bounds(self):
        return [[self.south, self.west], [self.north, self.east]]
