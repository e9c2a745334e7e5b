from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """News of a directory view without an account: its Atom feed and e-mail digests."""

    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from . import admin  # noqa: F401  (SimpleAdminConfig: no autodiscovery)
