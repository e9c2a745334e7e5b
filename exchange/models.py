"""What the exchange keeps of its own: how outside theme labels map to ours, and a log of imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.models import Theme
from ssemap.text import fold


class ThemeCorrespondence(models.Model):
    """An outside label ("Agriculture & Alimentation", "numerique--acceder-a-internet") → one of
    our themes, or none (the label is ignored). Matched on the folded label, whatever the source.

    Labels equal to a theme's slug or name need no row: they match by themselves."""

    label = models.CharField(_("label in the source"), max_length=200)
    folded = models.CharField(max_length=200, unique=True, editable=False)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Leave empty to ignore this label."),
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("theme correspondence")
        verbose_name_plural = _("theme correspondences")

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.folded = fold_label(self.label)
        super().save(*args, **kwargs)


def fold_label(label):
    return " ".join(fold(label).replace("&", " ").replace("-", " ").split())


class ImportRun(models.Model):
    """One committed import: what came in, from where, by whom."""

    format = models.CharField(_("format"), max_length=20)
    source_name = models.CharField(_("source name"), max_length=150)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=12)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.source_name} ({self.at:%Y-%m-%d %H:%M})"
