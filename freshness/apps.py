from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FreshnessConfig(AppConfig):
    name = "freshness"
    verbose_name = _("Freshness and contact")

    def ready(self):
        from contributions.signals import correction_suggested

        from . import admin, owners  # noqa: F401  (admin: registers the curators' lists)

        correction_suggested.connect(owners.mark_owner_correction, dispatch_uid="freshness-owner")
