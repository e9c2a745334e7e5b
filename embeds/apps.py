from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    """The directory on partners' sites: an iframe snippet, and the light pages it frames."""

    name = "embeds"
    verbose_name = _("Embeds")
