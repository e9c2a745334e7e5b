from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # SimpleAdminConfig does not autodiscover (leaflet/admin.py needs GDAL): register here.
        import django.contrib.auth.admin  # noqa: F401  (users and groups, for superusers)

        import territories.admin  # noqa: F401

        from . import admin  # noqa: F401
        from .caching import connect_receivers
        from .signals import ensure_curator_group

        # Connected before the first request, so that its data version is read once.
        connect_receivers()
        post_migrate.connect(ensure_curator_group, sender=self, dispatch_uid="curator_group")
