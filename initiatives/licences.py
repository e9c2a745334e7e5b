"""The licences a record can carry, and the one rule between them: share-alike data is never
relabelled. A selection holding any ODbL record is published as a whole under the ODbL; a format
whose consumers republish under the Licence Ouverte (data·inclusion) leaves ODbL records out.
"""

from django.db import models


class Licence(models.TextChoices):
    ETALAB_2 = "etalab-2.0", "Licence Ouverte / Open Licence 2.0 (Etalab)"
    ODBL_1 = "odbl-1.0", "Open Database License (ODbL) 1.0"


LICENCE_URLS = {
    Licence.ETALAB_2: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.ODBL_1: "https://opendatacommons.org/licenses/odbl/1-0/",
}
# Licences whose data may only be passed on under the same licence.
SHARE_ALIKE = frozenset({Licence.ODBL_1})
DEFAULT = Licence.ETALAB_2


def url_of(licence):
    return LICENCE_URLS[Licence(licence)]


def may_relabel(licence, target):
    """Whether a record under ``licence`` may be published under ``target``."""
    return licence == target or licence not in SHARE_ALIKE


def selection_licence(queryset):
    """The licence a selection of initiatives must be published under, as a whole (one query)."""
    if queryset.filter(licence__in=SHARE_ALIKE).exists():
        return Licence.ODBL_1
    return DEFAULT
