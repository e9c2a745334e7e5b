"""The vocabulary that classifies initiatives: themes, practices, legal forms, low-tech
qualities, and the action levers local authorities use (with each territory's use of them)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from territories.models import Territory


class SlugManager(models.Manager):
    """Lets fixtures refer to reference data by slug, so reloading them updates in place."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class BilingualNamed(models.Model):
    """Reference data named in French and English; ``name`` follows the active language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SlugManager()

    class Meta:
        abstract = True
        ordering = ["position", "name_fr"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def name(self):
        return self.name_en if get_language() == "en" else self.name_fr

    @property
    def description(self):
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description_fr


class Theme(BilingualNamed):
    class Meta(BilingualNamed.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class CollaborativePractice(BilingualNamed):
    class Meta(BilingualNamed.Meta):
        verbose_name = _("collaborative practice")
        verbose_name_plural = _("collaborative practices")


class LegalForm(BilingualNamed):
    class Meta(BilingualNamed.Meta):
        verbose_name = _("legal form")
        verbose_name_plural = _("legal forms")


class LowTechQuality(BilingualNamed):
    """One of the five qualities of a low-tech answer: simple, agile, frugal, …"""

    class Meta(BilingualNamed.Meta):
        verbose_name = _("low-tech quality")
        verbose_name_plural = _("low-tech qualities")


class LeverFamily(models.TextChoices):
    PROCUREMENT = "procurement", _("Public procurement")
    ECONOMIC_DEVELOPMENT = "economic", _("Economic development")
    AWARENESS = "awareness", _("Awareness and promotion")
    FUNDING = "funding", _("Funding")
    PREMISES = "premises", _("Premises and land")
    PARTICIPATION = "participation", _("Citizen participation")
    GOVERNANCE = "governance", _("Ways of acting")


class ActionLever(BilingualNamed):
    """What a local authority can do to support SSE (seeds 001 and 004)."""

    family = models.CharField(_("family"), max_length=16, choices=LeverFamily.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta(BilingualNamed.Meta):
        verbose_name = _("action lever")
        verbose_name_plural = _("action levers")
        constraints = [
            models.CheckConstraint(
                condition=Q(family__in=LeverFamily.values), name="lever_family_valid"
            )
        ]

    def get_absolute_url(self):
        return reverse("levers:detail", args=[self.slug])


class TerritoryLever(models.Model):
    """A territory's use of an action lever, in its own words."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.CASCADE, related_name="levers"
    )
    lever = models.ForeignKey(
        ActionLever, verbose_name=_("lever"), on_delete=models.CASCADE, related_name="uses"
    )
    text = models.TextField(_("what the territory does"), blank=True)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["territory__name", "lever__position"]
        verbose_name = _("territory's use of a lever")
        verbose_name_plural = _("territories' use of levers")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "lever"], name="territorylever_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(since__gte=1800, since__lte=2100),
                name="territorylever_since_range",
            ),
        ]

    def __str__(self):
        return f"{self.territory} — {self.lever}"
