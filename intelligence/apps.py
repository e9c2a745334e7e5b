from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    """Territory intelligence: replicable solutions, comparison, what is missing, profiles."""

    name = "intelligence"
    verbose_name = _("Territory intelligence")

    def ready(self):
        from django.db.models.signals import post_migrate

        from curation.permissions import ensure_curator_group
        from initiatives import tallies

        from . import admin  # noqa: F401  (SimpleAdminConfig: no autodiscovery)
        from .triggers import create_sqlite_triggers

        # Each territory's published initiatives per solution model, kept by the tallies'
        # triggers like its themes (comparison.py reads them; migration 0004 creates them).
        tallies.OTHER_LINKS["solution"] = ("intelligence", "SolutionLink", "solution")
        # initiatives drops every ssemap_public_version_* trigger before migrate (ours too, since
        # ours name the initiative table); ours come back after it, like theirs.
        post_migrate.connect(
            create_sqlite_triggers, sender=self, dispatch_uid="ssemap-intelligence-sqlite"
        )
        # Curators edit solution models: the group is set again once our permissions exist
        # (curation sets it after the initiatives' migrate, before ours).
        post_migrate.connect(
            ensure_curator_group, sender=self, dispatch_uid="ssemap-intelligence-curators"
        )
