"""The vocabulary of initiatives: the queries every view, export and count is written in."""

import math

from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from territories.models import Kind, Territory

from .. import memberships
from ..geo import BBox, distance_from
from ..hours import REGION_ZONES, open_texts, regions_in_zone
from .choices import Source, Status

# The column of Initiative that holds its territory of each kind: the commune, and the
# commune's containers, copied on save so that territory filters and counts need no join.
TERRITORY_COLUMN = {
    Kind.COMMUNE: "commune",
    Kind.EPCI: "epci",
    Kind.DEPARTMENT: "department",
    Kind.REGION: "region",
}
# The classifications an initiative has several of: its many-to-many fields, in the order of
# the export's columns.
CLASSIFICATION_FIELDS = ("themes", "practices", "low_tech_qualities", "levers")


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_territory(self, territory):
        """Initiatives anywhere inside ``territory``, whatever its level.

        A department's also by its region (always the same), so that the (status, region,
        department) index answers with its prefix."""
        found = self.filter(**{TERRITORY_COLUMN[territory.kind]: territory})
        if territory.kind == Kind.DEPARTMENT and territory.region_id:
            found = found.filter(region_id=territory.region_id)
        return found

    def serving(self, territory):
        """Initiatives that serve ``territory``: one of their areas served is it, contains it
        (its region, department or intercommunality) or lies inside it.

        An EXISTS on the link table, like ``with_any``. The same three relations decide which
        cache scopes a change of areas bumps (migration 0013: ``s:<id>``).
        """
        return self.filter(_serves(self.model, territory))

    def in_or_serving(self, territory):
        """Initiatives located in ``territory`` or serving it.

        The serving ones as a plain ``IN`` on the (small) link table, which the database reads
        once and hashes: an ``OR`` with a correlated ``EXISTS`` would probe it row by row.
        """
        serving = self.model.areas_served.through.objects.filter(_overlap(territory))
        return self.filter(
            Q(**{TERRITORY_COLUMN[territory.kind]: territory})
            | Q(pk__in=serving.values("initiative_id"))
        )

    def with_any(self, field_name, objects):
        """Initiatives linked to any of ``objects`` through the many-to-many ``field_name``.

        An overlap of the memberships' array where the database keeps them (PostgreSQL:
        covered by the map grid's index), else an EXISTS on the link table: no join, so no
        DISTINCT, whatever the number of matches.
        """
        if memberships.stored(self) and field_name in memberships.ARRAYS:
            ids = [getattr(obj, "pk", obj) for obj in objects]
            return self.filter(**{f"{memberships.ARRAYS[field_name]}__overlap": ids})
        field = self.model._meta.get_field(field_name)
        links = field.remote_field.through.objects.filter(
            initiative_id=OuterRef("pk"), **{f"{field.m2m_reverse_name()}__in": objects}
        )
        return self.filter(Exists(links))

    def low_tech(self):
        return self.filter(low_tech=True)

    def of_size(self, size_classes):
        """Initiatives in communes of these size classes (the stored copy where kept)."""
        column = "size_class" if memberships.stored(self) else "commune__size_class"
        return self.filter(**{f"{column}__in": size_classes})

    def facet_counts(self, facets):
        """``{facet: {value: n}}`` for the directory's facets (``memberships.FACET_SOURCES``):
        one pass over the memberships' copy where kept, else one grouped query per facet."""
        if memberships.stored(self):
            return memberships.facet_counts(self, facets)
        counts = {name: {} for name in facets}
        for name in set(facets) & {"low_tech", "total"}:
            n = (self.low_tech() if name == "low_tech" else self).count()
            counts[name] = {"": n} if n else {}
        for name in set(facets) - {"low_tech", "total"}:
            by_value = self.count_by(memberships.COUNTED_BY[name])
            counts[name] = {value: n for value, n in by_value.items() if value not in (None, "")}
        return counts

    def facet_counts_and_first(self, facets, first):
        """``(self.facet_counts(facets), pks of the first rows)``, the rows in this queryset's
        order: read in one pass over the matches where the memberships' copy is kept (a
        search's facets and its first page by relevance), else in two queries."""
        if memberships.stored(self):
            return memberships.facet_counts_and_first(self, facets, first)
        return self.facet_counts(facets), list(self.values_list("pk", flat=True)[:first])

    def count_by(self, field_name):
        """``{value: number of these initiatives}`` per value of ``field_name``.

        ``field_name`` is a many-to-many field (themes, practices, levers: keyed by the related
        object's pk, counted on the link table) or a column, possibly through a relation
        (``legal_form``, ``region``, ``commune__size_class``). One grouped query.
        """
        field = self.model._meta.get_field(field_name.split("__")[0])
        if field.many_to_many:
            target = field.m2m_reverse_field_name()
            rows = (
                field.remote_field.through.objects.filter(
                    initiative_id__in=self.order_by().values("pk")
                )
                .values_list(target)
                .annotate(n=Count("initiative_id"))
            )
        else:
            rows = self.values_list(field_name).annotate(n=Count("pk"))
        return dict(rows.order_by())

    def bounds(self):
        """The :class:`~initiatives.geo.BBox` of these initiatives, or None when there are none."""
        box = self.order_by().aggregate(
            west=Min("longitude"),
            south=Min("latitude"),
            east=Max("longitude"),
            north=Max("latitude"),
        )
        if box["south"] is None:
            return None
        return BBox(box["west"], box["south"], box["east"], box["north"])

    def nearest(self, latitude, longitude, count):
        """The ``count`` initiatives nearest to a point, as a list.

        Searched in growing boxes around the point, so the (status, latitude, longitude) index
        bounds the work instead of sorting every initiative by distance; a box's answer is
        kept only when it is exact (its farthest result lies inside the box's inner circle).
        The boxes are sorted on ids and coordinates alone (a dense city's box holds thousands
        of rows): only the ``count`` rows kept are then read, with this queryset's relations.
        """
        ordered = (
            self.annotate(distance=distance_from(latitude, longitude))
            .order_by("distance", "pk")
            .values_list("pk", "distance")
        )
        k = max(math.cos(math.radians(latitude)), 0.01)
        found = None
        # The first box about a kilometre: in a dense city at a million initiatives, a box of
        # 5 km held 15,000 candidates to sort for the five kept.
        for radius in (0.01, 0.05, 0.25, 1.5):
            rows = list(
                ordered.filter(
                    latitude__range=(latitude - radius, latitude + radius),
                    longitude__range=(longitude - radius / k, longitude + radius / k),
                )[:count]
            )
            if len(rows) == count and rows[-1][1] <= radius * radius:
                found = rows
                break
        if found is None:
            found = list(ordered[:count])
        by_pk = self.order_by().in_bulk([pk for pk, _distance in found])
        initiatives = []
        for pk, distance in found:
            if pk in by_pk:
                by_pk[pk].distance = distance
                initiatives.append(by_pk[pk])
        return initiatives

    def open_texts(self, moment):
        """``{time zone: hours texts open at moment there}`` among these rows' hours.

        SQL cannot read the syntax: the distinct (hours, region) pairs are read and evaluated
        in Python (``hours.open_texts``), each once.
        """
        pairs = (
            self.exclude(opening_hours="")
            .order_by()
            .values_list("opening_hours", "region__code")
            .distinct()
        )
        return {zone: sorted(texts) for zone, texts in open_texts(pairs, moment).items()}

    def open_at(self, moment, texts=None):
        """Those whose opening hours say open at ``moment``, in their own time zone: kept by
        their hours text and zone (a list of texts far shorter than a list of ids).

        ``texts``: ``open_texts(moment)`` of these rows or of more (all the published ones,
        computed once for a whole directory page), when already known.
        """
        if texts is None:
            texts = self.open_texts(moment)
        overseas = Territory.objects.filter(kind=Kind.REGION, code__in=list(REGION_ZONES))
        condition = Q(pk__in=[])
        for zone, zone_texts in texts.items():
            codes = regions_in_zone(zone)
            if codes:
                place = Q(region__in=overseas.filter(code__in=codes))
            else:  # Paris time: metropolitan France, and anything without a region
                place = Q(region__isnull=True) | ~Q(region__in=overseas)
            condition |= place & Q(opening_hours__in=zone_texts)
        return self.filter(condition)

    def samples(self):
        return self.filter(source=Source.SAMPLE)

    def real(self):
        return self.exclude(source=Source.SAMPLE)

    def rows(self, start, stop, pks=None):
        """The rows ``start:stop`` of this ordered queryset, as a list: their ids first, sorted
        on the ordering's own columns, then those rows with their relations, in that order.
        Sorting whole rows joined to their commune, department and legal form made a search
        matching 66,000 initiatives (q=jardin, 1M) join every one of them to keep 20.
        ``pks``: those ids, when already known (``facet_counts_and_first``)."""
        ids = list(self.values_list("pk", flat=True)[start:stop]) if pks is None else pks
        found = {row.pk: row for row in self.filter(pk__in=ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]

    def with_public_relations(self):
        """Everything a list or card shows, fetched in a fixed number of queries: on
        PostgreSQL one, the themes being named from each row's copy of their ids (the
        ``themes`` template filter); elsewhere one more for the themes."""
        related = self.select_related("commune", "commune__department", "legal_form")
        return related if memberships.stored(self) else related.prefetch_related("themes")


def _overlap(territory):
    """Links to an area served that is ``territory``, contains it or lies in it."""
    containers = [
        pk for pk in (territory.region_id, territory.department_id, territory.epci_id) if pk
    ]
    overlap = Q(territory_id=territory.pk) | Q(territory_id__in=containers)
    if territory.kind != Kind.COMMUNE:
        overlap |= Q(**{f"territory__{TERRITORY_COLUMN[territory.kind]}_id": territory.pk})
    return overlap


def _serves(model, territory):
    links = model.areas_served.through.objects.filter(
        _overlap(territory), initiative_id=OuterRef("pk")
    )
    return Exists(links)
