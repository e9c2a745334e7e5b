"""The columns of PostgreSQL's narrow copy of what the facets count (initiatives/memberships.py)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class IdArray(ArrayField):
    """An array of ids on PostgreSQL; a column that stays NULL on SQLite, written without
    PostgreSQL's cast."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_field", models.IntegerField())
        super().__init__(**kwargs)

    def get_placeholder_sql(self, value, compiler, connection):
        if connection.vendor != "postgresql":
            return compiler.compile(value) if hasattr(value, "as_sql") else ("%s", (value,))
        return super().get_placeholder_sql(value, compiler, connection)


class Memberships(models.Model):
    """An initiative's themes, practices and levers as sorted arrays of ids, and its commune's
    size class: copied by database triggers on PostgreSQL, never written by Django (a save
    sends back what it read; the trigger recomputes it). NULL on SQLite, which keeps no copy.
    """

    FIELDS = ("theme_ids", "practice_ids", "lever_ids", "size_class")

    theme_ids = IdArray(null=True, blank=True, editable=False)
    practice_ids = IdArray(null=True, blank=True, editable=False)
    lever_ids = IdArray(null=True, blank=True, editable=False)
    size_class = models.CharField(max_length=12, blank=True, default="", editable=False)

    class Meta:
        abstract = True
