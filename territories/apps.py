from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    """The French administrative map: regions, departments, intercommunalities, communes."""

    name = "territories"
    verbose_name = _("Territories")

    def ready(self):
        from . import admin  # noqa: F401  (SimpleAdminConfig: no autodiscovery)
