from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """The initiatives, their classification and rules, and the public pages that read them."""

    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from .caching import connect_receivers

        # Connected before the first request, so that its data version is read once.
        connect_receivers()
