from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FreshnessConfig(AppConfig):
    name = "freshness"
    verbose_name = _("Freshness and contact")

    def ready(self):
        from django.db.models.signals import post_migrate

        from contributions.signals import correction_suggested
        from curation.permissions import ensure_curator_group

        from . import admin, owners  # noqa: F401  (admin: registers the curators' lists)

        correction_suggested.connect(owners.mark_owner_correction, dispatch_uid="freshness-owner")
        # The curator group is set after the initiatives' migrate (CurationConfig), before this
        # app's permissions exist: set again once they do.
        post_migrate.connect(
            ensure_curator_group, sender=self, dispatch_uid="curator_group_freshness"
        )
