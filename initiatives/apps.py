from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """The initiatives, their classification and rules, and the public pages that read them."""

    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate

        from .caching import connect_receivers
        from .triggers import create_sqlite_triggers, drop_sqlite_triggers

        # Connected before the first request, so that its data version is read once.
        connect_receivers()
        # SQLite's triggers stand aside while migrations run (initiatives/triggers.py says why).
        pre_migrate.connect(drop_sqlite_triggers, sender=self, dispatch_uid="ssemap-sqlite-drop")
        post_migrate.connect(
            create_sqlite_triggers, sender=self, dispatch_uid="ssemap-sqlite-create"
        )
