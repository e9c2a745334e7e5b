"""Replicable solutions: SSE solution models a territory can copy, and their initiatives."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.models import ActionLever, BilingualNamed, Initiative, Theme


class Solution(BilingualNamed):
    """A solution model (recyclerie, épicerie solidaire, tiers-lieu…) that has proven its
    value somewhere and can be brought elsewhere (seeds 002, 003, 004)."""

    levers = models.ManyToManyField(
        ActionLever,
        verbose_name=_("levers that help it exist"),
        blank=True,
        related_name="solutions",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="solutions"
    )
    initiatives = models.ManyToManyField(
        Initiative,
        verbose_name=_("initiatives"),
        through="SolutionLink",
        blank=True,
        related_name="solutions",
    )
    keywords = models.CharField(
        _("name keywords"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated words that name this solution in an initiative's name "
            "(“recyclerie, ressourcerie”): used to suggest links."
        ),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(BilingualNamed.Meta):
        verbose_name = _("solution model")
        verbose_name_plural = _("solution models")

    def get_absolute_url(self):
        return reverse("intelligence:solution", args=[self.slug])

    def keyword_list(self):
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class SolutionLink(models.Model):
    """An initiative that puts a solution model into practice."""

    solution = models.ForeignKey(
        Solution, verbose_name=_("solution model"), on_delete=models.CASCADE
    )
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE
    )
    generated = models.BooleanField(
        _("generated"),
        default=False,
        help_text=_("Linked automatically from the name of a demo initiative, not by a curator."),
    )

    class Meta:
        verbose_name = _("initiative of a solution model")
        verbose_name_plural = _("initiatives of solution models")
        constraints = [
            models.UniqueConstraint(fields=["solution", "initiative"], name="solutionlink_unique")
        ]
        indexes = [models.Index(fields=["initiative", "solution"])]

    def __str__(self):
        return f"{self.solution} — {self.initiative}"


class ProgrammeMembership(models.Model):
    """When and on what source a territory joined a national programme (CSV import); the
    membership itself is ``Territory.programmes``, which the pages and filters read."""

    programme = models.ForeignKey(
        "territories.Programme", verbose_name=_("national programme"), on_delete=models.CASCADE
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme membership")
        verbose_name_plural = _("programme memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "territory"], name="programmemembership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1950, year__lte=2100),
                name="programmemembership_year_range",
            ),
        ]

    def __str__(self):
        return f"{self.territory} — {self.programme}"
