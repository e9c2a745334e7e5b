from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The formats the ecosystem speaks, out (data·inclusion, GoGoCarto, schema.org, DCAT) and
    in (importers that keep each record's provenance and licence)."""

    name = "exchange"
    verbose_name = _("Open-data exchange")

    def ready(self):
        # SimpleAdminConfig does not autodiscover: each app registers its own admin.
        from django.db.models.signals import post_migrate

        from curation.permissions import ensure_curator_group

        from . import admin  # noqa: F401

        # The curators' permissions on this app's models exist only after its own migrate.
        post_migrate.connect(
            ensure_curator_group, sender=self, dispatch_uid="curator_group_exchange"
        )
