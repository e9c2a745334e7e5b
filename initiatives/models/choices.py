"""The values an initiative's status, location precision and source take (with their labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


class LocationPrecision(models.TextChoices):
    """How precisely an initiative's point says where it is (drawn differently on the map)."""

    EXACT = "exact", _("Exact (its address or a pin placed by its author or a curator)")
    COMMUNE = "commune", _("Commune (placed at the commune's point)")
    APPROXIMATE = "approximate", _("Approximate (somewhere in its commune)")


class Source(models.TextChoices):
    SUBMISSION = "submission", _("Public submission")
    CURATOR = "curator", _("Entered by a curator")
    IMPORT = "import", _("Imported")
    PARTNER = "partner", _("Sent by a partner")
    SAMPLE = "sample", _("Generated sample data")
