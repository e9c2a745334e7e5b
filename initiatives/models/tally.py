"""Published initiatives counted per territory and facet value, kept by database triggers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .memberships import IdArray

EVERYWHERE = 0  # the territory_id of the counts over all of France


def by_facet(rows, facets):
    """``{facet: {value: n}}`` of ``(facet, value, n)`` rows, every facet of ``facets`` there:
    identifiers as ints (themes, levers, legal forms, communes…), codes as text."""
    result = {facet: {} for facet in facets}
    for facet, value, n in rows:
        result[facet][int(value) if value.isdigit() else value] = n
    return result


class FacetTallyQuerySet(models.QuerySet):
    def counts(self, territory_id, facets):
        """``{facet: {value: n}}`` in ``territory_id`` (``EVERYWHERE`` for all), one query.

        Identifiers come back as ints (themes, levers, legal forms, communes…), size classes
        as their codes; a value nobody has any more (n = 0) is left out.
        """
        rows = self.filter(territory_id=territory_id, facet__in=facets, n__gt=0)
        return by_facet(rows.values_list("facet", "value", "n"), facets)

    def distinct_values(self, territory_id, facet):
        """How many values of ``facet`` have initiatives (communes, departments…)."""
        return self.filter(territory_id=territory_id, facet=facet, n__gt=0).count()


class FacetTally(models.Model):
    """How many published initiatives of a territory have a facet value (initiatives/tallies.py).

    One row per (territory, facet, value): ``theme``/``practice``/``lever``/``quality`` → the
    reference object's id, ``legal_form`` → its id, ``size_class`` → the commune's class,
    ``commune``/``department`` → their id, ``total`` and ``low_tech`` → "". ``territory_id``
    is the region, department, EPCI or commune the initiatives lie in, or 0 for everywhere.
    Counting the directory's facets, the home figures or a territory's figures is then an
    index read of a few hundred rows, not a join of every initiative with its links.
    """

    pk = models.CompositePrimaryKey("territory_id", "facet", "value")
    territory_id = models.IntegerField()
    facet = models.CharField(max_length=12)
    value = models.CharField(max_length=40, blank=True)
    n = models.IntegerField(default=0)

    objects = FacetTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("facet tally")
        default_permissions = ()
        indexes = [
            # With ``n`` in the index, counting a territory's communes or themes is an
            # index-only scan on PostgreSQL (no visit to the rows for ``n > 0``).
            models.Index(
                fields=["territory_id", "facet", "value"], include=["n"], name="facet_tally_n"
            ),
            # Where a value is: the territories that have a solution model (its page).
            models.Index(
                fields=["facet", "value"], include=["territory_id", "n"], name="facet_tally_where"
            ),
        ]

    def __str__(self):
        return f"{self.territory_id} {self.facet}={self.value}: {self.n}"


class PairTallyQuerySet(models.QuerySet):
    def counts(self, territory_id, given, facets):
        """``{facet: {value: n}}`` among the initiatives of ``territory_id`` that have
        ``given`` (``"theme:12"``, ``"size_class:rural"``, ``"low_tech:"``), one query."""
        rows = self.filter(territory_id=territory_id, given=given, facet__in=facets, n__gt=0)
        return by_facet(rows.values_list("facet", "value", "n"), facets)


class PairTally(models.Model):
    """How many published initiatives of a territory have both a given facet value and
    another (initiatives/tallies.py): the counts of a directory filtered on one value.

    PostgreSQL only, read from the memberships' copy (initiatives/memberships.py); kept for
    all of France (``EVERYWHERE``), regions, departments and EPCIs. SQLite, which keeps no
    copy, counts instead.
    """

    pk = models.CompositePrimaryKey("territory_id", "given", "facet", "value")
    territory_id = models.IntegerField()
    given = models.CharField(max_length=40)
    facet = models.CharField(max_length=12)
    value = models.CharField(max_length=40, blank=True)
    n = models.IntegerField(default=0)

    objects = PairTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("pair tally")
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["territory_id", "given", "facet", "value"],
                include=["n"],
                name="pair_tally_n",
            ),
        ]

    def __str__(self):
        return f"{self.territory_id} {self.given} {self.facet}={self.value}: {self.n}"


class CellCounts(models.Model):
    """What a cell tally keeps of its initiatives: how many, the sums their mean position
    and, for a cell of one, its id come from, and their bounding box."""

    n = models.IntegerField(default=0)
    sum_lat = models.FloatField(default=0)
    sum_lon = models.FloatField(default=0)
    sum_id = models.BigIntegerField(default=0)  # the id itself when n = 1
    west = models.FloatField(null=True)
    south = models.FloatField(null=True)
    east = models.FloatField(null=True)
    north = models.FloatField(null=True)

    class Meta:
        abstract = True


class CellTally(CellCounts):
    """The published initiatives of one cell of the map's grid (initiatives/mapdata.py), at
    each coarse level (``WHOLE_GRID_MAX_LEVEL`` and below), its ``CellCounts``.

    PostgreSQL only, kept by the tallies' trigger (initiatives/tallies.py): the map of all of
    France, asked for first by every visitor and invalidated by any write, is an index read.
    """

    pk = models.CompositePrimaryKey("level", "cell_x", "cell_y")
    level = models.SmallIntegerField()
    cell_x = models.IntegerField()
    cell_y = models.IntegerField()

    class Meta:
        verbose_name = _("map cell tally")
        default_permissions = ()

    def __str__(self):
        return f"{self.level}/{self.cell_x}/{self.cell_y}: {self.n}"


class FilteredCellTally(CellCounts):
    """``CellTally`` once more per combination of the filters a map of France is most often
    drawn with: the themes (as the memberships' array), the commune's size class, low-tech
    and the legal form (0: none), up to ``tallies.FILTERED_LEVELS``.

    A coarse map filtered by these alone sums the rows of the combinations it matches, per
    cell (``mapdata._tallied_cells``), instead of grouping every matching initiative.
    PostgreSQL only, kept by the tallies' trigger (initiatives/tallies.py).
    """

    level = models.SmallIntegerField()
    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    theme_ids = IdArray(default=list)
    size_class = models.CharField(max_length=12, blank=True, default="")
    low_tech = models.BooleanField(default=False)
    legal_form = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("filtered map cell tally")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "level",
                    "cell_x",
                    "cell_y",
                    "theme_ids",
                    "size_class",
                    "low_tech",
                    "legal_form",
                ],
                name="filtered_cell_tally_key",
            ),
        ]

    def __str__(self):
        return f"{self.level}/{self.cell_x}/{self.cell_y} {self.theme_ids}: {self.n}"
