"""Open-data exports of initiatives: the columns, shared by the CSV export and the CSV import.

Multi-valued columns hold slugs separated by ``|``. Private fields never appear here.
"""

from contextlib import nullcontext

from django.db import connections, transaction

from . import licences, memberships
from .models import CLASSIFICATION_FIELDS, Initiative

EXPORT_COLUMNS = [
    "slug",
    "name",
    "summary",
    "description",
    "organisation",
    "legal_form",  # slug
    "themes",  # slugs, "|"-separated
    "practices",  # slugs, "|"-separated
    "low_tech",  # 1 or 0
    "low_tech_qualities",  # slugs, "|"-separated
    "levers",  # slugs, "|"-separated
    "commune_code",  # INSEE code: what an import uses to place the initiative
    "commune",
    "epci",
    "department",
    "region",
    "areas_served",  # territory slugs, "|"-separated
    "address",
    "latitude",
    "longitude",
    "location_precision",  # exact, commune or approximate
    "website",
    # No contact_email: the listed address is private, reached through the page's form.
    "contact_phone",
    "opening_hours",  # OpenStreetMap syntax, as given (data·inclusion's horaires_accueil)
    "year_started",
    "source",  # submission, curator, import or sample
    "source_reference",
    "source_name",  # the file or source an imported record comes from
    "source_identifier",  # its identifier there
    "licence",  # etalab-2.0 or odbl-1.0: each record keeps its own (initiatives/licences.py)
    "updated_at",  # ISO 8601
    "confirmed_at",  # ISO 8601: when its people last said it is accurate
    "url",  # absolute URL of the public page
]
MULTI_VALUE_SEPARATOR = "|"

# The site's licence; a selection holding share-alike records is published under theirs
# (``licences.selection_licence``), never relabelled.
LICENCE_NAME = licences.DEFAULT.label
LICENCE_URL = licences.url_of(licences.DEFAULT)

# Columns that hold numbers: never prefixed, so that a spreadsheet reads them as numbers.
NUMERIC_COLUMNS = {"low_tech", "latitude", "longitude", "year_started"}
MULTI_VALUE_COLUMNS = {*CLASSIFICATION_FIELDS, "areas_served"}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# The export's columns read as plain values, not as model instances: building an instance
# and its four territories per row was most of the time of a region's export at a million
# rows (about 150 µs of a row's 220 µs). Column → field path; the rest are computed.
_VALUE_PATHS = {
    "pk": "pk",
    "slug": "slug",
    "name": "name",
    "summary": "summary",
    "description": "description",
    "organisation": "organisation",
    "legal_form": "legal_form__slug",
    "low_tech": "low_tech",
    "commune_code": "commune__code",
    "commune": "commune__name",
    "epci": "epci__name",
    "department": "department__name",
    "region": "region__name",
    "address": "address",
    "latitude": "latitude",
    "longitude": "longitude",
    "location_precision": "location_precision",
    "website": "website",
    "contact_phone": "contact_phone",
    "opening_hours": "opening_hours",
    "year_started": "year_started",
    "source": "source",
    "source_reference": "source_reference",
    "source_name": "source_name",
    "source_identifier": "source_identifier",
    "licence": "licence",
    "updated_at": "updated_at",
    "confirmed_at": "confirmed_at",
}
# Columns a missing related row leaves empty, as ``export_row`` writes them.
_EMPTY_WHEN_NONE = ("legal_form", "epci", "department", "region")


def export_rows(queryset, url_template, chunk_size=500):
    """``export_row`` of each initiative, reading ``chunk_size`` at a time.

    Faster than ``prefetch_related`` for 100,000 rows (no model instance or manager per related
    row): per chunk, one query per many-to-many table gives (initiative, target) pairs, and the
    targets' slugs come from the small reference tables, read once. Where the rows hold a
    copy of their themes, practices and levers (PostgreSQL, ``memberships``), it is read
    instead: a region at a million initiatives made 300 link queries, each looking up 500 ids
    scattered over 3 million links. The rows themselves are read as values (``_VALUE_PATHS``).
    """
    relations = {name: Initiative._meta.get_field(name) for name in CLASSIFICATION_FIELDS}
    # pk → (rank, slug), the rank in the model's ordering: slugs listed as prefetching would.
    slug_of = {
        name: {
            pk: (rank, slug)
            for rank, (pk, slug) in enumerate(field.related_model.objects.values_list("pk", "slug"))
        }
        for name, field in relations.items()
    }
    postgresql = memberships.stored(queryset)
    copies = memberships.ARRAYS if postgresql else {}
    keys = [*_VALUE_PATHS, *copies.values()]
    rows = queryset.values_list(*_VALUE_PATHS.values(), *copies.values())
    # A transaction on PostgreSQL, so that the server-side cursor streams: outside one
    # (autocommit), Django declares it WITH HOLD, and PostgreSQL then computes and stores the
    # whole result before the first row leaves (seconds for a region at a million rows).
    with transaction.atomic(using=rows.db) if postgresql else nullcontext():
        if postgresql:
            # A cursor is planned for its first tenth by default: for a region sorted newest
            # first, PostgreSQL then walked the index of the whole country's dates and read
            # all its rows to keep the region's (4.7 s at 1M, against 0.15 s sorted). An
            # export reads every row.
            with connections[rows.db].cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        chunk = []
        for values in rows.iterator(chunk_size=chunk_size):
            chunk.append(dict(zip(keys, values, strict=True)))
            if len(chunk) == chunk_size:
                yield from _chunk_rows(chunk, relations, slug_of, url_template, copies, rows.db)
                chunk = []
        yield from _chunk_rows(chunk, relations, slug_of, url_template, copies, rows.db)


def _chunk_rows(chunk, relations, slug_of, url_template, copies, using):
    if not chunk:
        return
    # Per initiative, per multi-valued column, its (rank, slug) pairs.
    ranked = {values["pk"]: {name: [] for name in (*relations, "areas_served")} for values in chunk}
    for name, field in relations.items():
        if name in copies:
            for values in chunk:
                ids = values.pop(copies[name]) or ()
                ranked[values["pk"]][name] = [slug_of[name][pk] for pk in ids]
            continue
        through = field.remote_field.through
        pairs = (
            through.objects.using(using)
            .filter(initiative_id__in=ranked)
            .values_list("initiative_id", field.m2m_reverse_name())
            .order_by("pk")
        )
        for initiative_id, target_id in pairs:
            ranked[initiative_id][name].append(slug_of[name][target_id])
    areas = Initiative.areas_served.through.objects.using(using).filter(initiative_id__in=ranked)
    # In the territories' own order (by name), as the detail page lists them: each ranked
    # by its place in that order (all ranked 0, they came out by slug).
    ordered = areas.values_list("initiative_id", "territory__slug").order_by(
        "territory__name", "territory__slug"
    )
    for rank, (initiative_id, slug) in enumerate(ordered):
        ranked[initiative_id]["areas_served"].append((rank, slug))
    for values in chunk:
        slugs = {
            name: [slug for _rank, slug in sorted(pairs)]
            for name, pairs in ranked[values.pop("pk")].items()
        }
        yield _values_row(values, slugs, url_template)


def _values_row(values, slugs, url_template):
    """``export_row`` of an initiative read as ``_VALUE_PATHS`` values."""
    row = dict.fromkeys(EXPORT_COLUMNS)
    row.update(values)
    row.update(slugs)
    for column in _EMPTY_WHEN_NONE:
        if row[column] is None:
            row[column] = ""
    row["low_tech"] = 1 if row["low_tech"] else 0
    row["updated_at"] = row["updated_at"].isoformat() if row["updated_at"] else ""
    row["confirmed_at"] = row["confirmed_at"].isoformat()
    row["url"] = url_template.replace("__slug__", row["slug"])
    return row


def export_row(initiative, url_template):
    """One initiative as a dict keyed by ``EXPORT_COLUMNS``; lists for multi-valued columns.

    ``url_template`` is the absolute URL of a detail page with ``__slug__`` in place of the slug.
    Private fields (``Initiative.PRIVATE_FIELDS``) are never read here.
    """

    def slugs(name):
        return [obj.slug for obj in getattr(initiative, name).all()]

    def name_of(territory):
        return territory.name if territory else ""

    return {
        "slug": initiative.slug,
        "name": initiative.name,
        "summary": initiative.summary,
        "description": initiative.description,
        "organisation": initiative.organisation,
        "legal_form": initiative.legal_form.slug if initiative.legal_form else "",
        "themes": slugs("themes"),
        "practices": slugs("practices"),
        "low_tech": 1 if initiative.low_tech else 0,
        "low_tech_qualities": slugs("low_tech_qualities"),
        "levers": slugs("levers"),
        "commune_code": initiative.commune.code,
        "commune": initiative.commune.name,
        "epci": name_of(initiative.epci),
        "department": name_of(initiative.department),
        "region": name_of(initiative.region),
        "areas_served": slugs("areas_served"),
        "address": initiative.address,
        "latitude": initiative.latitude,
        "longitude": initiative.longitude,
        "location_precision": initiative.location_precision,
        "website": initiative.website,
        "contact_phone": initiative.contact_phone,
        "opening_hours": initiative.opening_hours,
        "year_started": initiative.year_started,
        "source": initiative.source,
        "source_reference": initiative.source_reference,
        "source_name": initiative.source_name,
        "source_identifier": initiative.source_identifier,
        "licence": initiative.licence,
        "updated_at": initiative.updated_at.isoformat() if initiative.updated_at else "",
        "confirmed_at": initiative.confirmed_at.isoformat(),
        "url": url_template.replace("__slug__", initiative.slug),
    }


def _joined(values):
    return "" if values is None else MULTI_VALUE_SEPARATOR.join(values)


def _number(value):
    return "" if value is None else str(value)


def _text(value):
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# How each column becomes a safe CSV cell (lists joined, formulas neutralised, None empty),
# chosen once per column, not per cell: a region's export makes 1.7 million cells.
_CELLS = [
    (
        column,
        _joined
        if column in MULTI_VALUE_COLUMNS
        else _number
        if column in NUMERIC_COLUMNS
        else _text,
    )
    for column in EXPORT_COLUMNS
]


def csv_row(row):
    return [cell(row[column]) for column, cell in _CELLS]
