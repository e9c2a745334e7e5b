"""Open-data exports of initiatives: the columns, shared by the CSV export and the CSV import.

Multi-valued columns hold slugs separated by ``|``. Private fields never appear here.
"""

from contextlib import nullcontext

from django.db import transaction

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


def export_queryset(queryset):
    """``queryset`` with everything a row needs, fetched per chunk: no per-row query."""
    return queryset.select_related(
        "commune", "epci", "department", "region", "legal_form"
    ).prefetch_related("themes", "practices", "low_tech_qualities", "levers")


def export_rows(queryset, url_template, chunk_size=500):
    """``export_row`` of each initiative, reading ``chunk_size`` at a time.

    Faster than ``prefetch_related`` for 100,000 rows (no model instance or manager per related
    row): per chunk, one query per many-to-many table gives (initiative, target) pairs, and the
    targets' slugs come from the small reference tables, read once. Where the rows hold a
    copy of their themes, practices and levers (PostgreSQL, ``memberships``), it is read
    instead: a region at a million initiatives made 300 link queries, each looking up 500 ids
    scattered over 3 million links.
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
    rows = queryset.select_related("commune", "epci", "department", "region", "legal_form").defer(
        "search_vector"
    )
    postgresql = memberships.stored(queryset)
    copies = memberships.ARRAYS if postgresql else {}
    # A transaction on PostgreSQL, so that the server-side cursor streams: outside one
    # (autocommit), Django declares it WITH HOLD, and PostgreSQL then computes and stores the
    # whole result before the first row leaves (seconds for a region at a million rows).
    with transaction.atomic(using=rows.db) if postgresql else nullcontext():
        chunk = []
        for initiative in rows.iterator(chunk_size=chunk_size):
            chunk.append(initiative)
            if len(chunk) == chunk_size:
                yield from _chunk_rows(chunk, relations, slug_of, url_template, copies)
                chunk = []
        yield from _chunk_rows(chunk, relations, slug_of, url_template, copies)


def _chunk_rows(chunk, relations, slug_of, url_template, copies):
    if not chunk:
        return
    by_id = {initiative.pk: initiative for initiative in chunk}
    for initiative in chunk:
        initiative._export_slugs = {name: [] for name in relations}
    for name, field in relations.items():
        if name in copies:
            for initiative in chunk:
                ids = getattr(initiative, copies[name]) or ()
                initiative._export_slugs[name] = [slug_of[name][pk] for pk in ids]
            continue
        through = field.remote_field.through
        pairs = (
            through.objects.filter(initiative_id__in=by_id)
            .values_list("initiative_id", field.m2m_reverse_name())
            .order_by("pk")
        )
        for initiative_id, target_id in pairs:
            by_id[initiative_id]._export_slugs[name].append(slug_of[name][target_id])
    areas = Initiative.areas_served.through.objects.filter(initiative_id__in=by_id)
    for initiative in chunk:
        initiative._export_slugs["areas_served"] = []
    # In the territories' own order (by name), as the detail page lists them.
    for initiative_id, slug in areas.values_list("initiative_id", "territory__slug").order_by(
        "territory__name", "territory__slug"
    ):
        by_id[initiative_id]._export_slugs["areas_served"].append((0, slug))
    for initiative in chunk:
        for name, ranked in initiative._export_slugs.items():
            initiative._export_slugs[name] = [slug for _rank, slug in sorted(ranked)]
        yield export_row(initiative, url_template)


def export_row(initiative, url_template):
    """One initiative as a dict keyed by ``EXPORT_COLUMNS``; lists for multi-valued columns.

    ``url_template`` is the absolute URL of a detail page with ``__slug__`` in place of the slug.
    Private fields (``Initiative.PRIVATE_FIELDS``) are never read here.
    """

    chunk_slugs = getattr(initiative, "_export_slugs", None)

    def slugs(name):
        if chunk_slugs is not None:  # fetched for the whole chunk by export_rows()
            return chunk_slugs[name]
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


def csv_cell(column, value):
    """A value as a safe CSV cell: lists joined, formulas neutralised, None empty."""
    if value is None:
        return ""
    if column in MULTI_VALUE_COLUMNS:
        return MULTI_VALUE_SEPARATOR.join(value)
    if column in NUMERIC_COLUMNS:
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_row(row):
    return [csv_cell(column, row[column]) for column in EXPORT_COLUMNS]
