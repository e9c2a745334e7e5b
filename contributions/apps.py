from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    """What citizens do without an account: submit an initiative, suggest a correction."""

    name = "contributions"
    verbose_name = _("Contributions")
