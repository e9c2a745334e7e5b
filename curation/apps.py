from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    """What curators do: review, moderate, correct, merge and import, in the Django admin."""

    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        # SimpleAdminConfig does not autodiscover (leaflet/admin.py needs GDAL), so each app
        # registers its own admin in ready(); users and groups are the superusers' part of it.
        import django.contrib.auth.admin  # noqa: F401

        from initiatives.models import Initiative

        from . import admin, corrections_admin  # noqa: F401
        from .moderation import refuse_status_change_outside_moderation
        from .permissions import ensure_curator_group

        # Every status change goes through moderation.transition(), whatever saves the row.
        pre_save.connect(
            refuse_status_change_outside_moderation,
            sender=Initiative,
            dispatch_uid="status_through_moderation",
        )

        # After every migrate, once the initiatives' permissions exist (territories' come
        # before: INSTALLED_APPS order). Curation has no models, so no post_migrate of its own.
        post_migrate.connect(
            ensure_curator_group,
            sender=apps.get_app_config("initiatives"),
            dispatch_uid="curator_group",
        )
