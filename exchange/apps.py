from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The formats the ecosystem speaks, out (data·inclusion, GoGoCarto, schema.org, DCAT) and
    in (importers that keep each record's provenance and licence)."""

    name = "exchange"
    verbose_name = _("Open-data exchange")

    def ready(self):
        # SimpleAdminConfig does not autodiscover: each app registers its own admin.
        from . import admin  # noqa: F401
