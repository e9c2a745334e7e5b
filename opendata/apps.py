from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """The open-data hub: the read API v1, its documentation, and the partners' write API."""

    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        from . import (
            admin,  # noqa: F401  (SimpleAdminConfig: no autodiscovery)
            schema,  # noqa: F401  (registers the schema extension)
        )
