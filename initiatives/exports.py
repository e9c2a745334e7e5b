"""Open-data exports of initiatives: the columns, shared by the CSV export and the CSV import.

Multi-valued columns hold slugs separated by ``|``. Private fields never appear here.
"""

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
    "address",
    "latitude",
    "longitude",
    "website",
    "contact_email",
    "contact_phone",
    "year_started",
    "source",  # submission, curator, import or sample
    "source_reference",
    "updated_at",  # ISO 8601
    "url",  # absolute URL of the public page
]
MULTI_VALUE_SEPARATOR = "|"

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# Columns that hold numbers: never prefixed, so that a spreadsheet reads them as numbers.
NUMERIC_COLUMNS = {"low_tech", "latitude", "longitude", "year_started"}
MULTI_VALUE_COLUMNS = {"themes", "practices", "low_tech_qualities", "levers"}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def export_queryset(queryset):
    """``queryset`` with everything a row needs, fetched per chunk: no per-row query."""
    return queryset.select_related(
        "commune", "epci", "department", "region", "legal_form"
    ).prefetch_related("themes", "practices", "low_tech_qualities", "levers")


def export_row(initiative, url_template):
    """One initiative as a dict keyed by ``EXPORT_COLUMNS``; lists for multi-valued columns.

    ``url_template`` is the absolute URL of a detail page with ``__slug__`` in place of the slug.
    Private fields (``Initiative.PRIVATE_FIELDS``) are never read here.
    """

    def slugs(manager):
        return [obj.slug for obj in manager.all()]

    def name_of(territory):
        return territory.name if territory else ""

    return {
        "slug": initiative.slug,
        "name": initiative.name,
        "summary": initiative.summary,
        "description": initiative.description,
        "organisation": initiative.organisation,
        "legal_form": initiative.legal_form.slug if initiative.legal_form else "",
        "themes": slugs(initiative.themes),
        "practices": slugs(initiative.practices),
        "low_tech": 1 if initiative.low_tech else 0,
        "low_tech_qualities": slugs(initiative.low_tech_qualities),
        "levers": slugs(initiative.levers),
        "commune_code": initiative.commune.code,
        "commune": initiative.commune.name,
        "epci": name_of(initiative.epci),
        "department": name_of(initiative.department),
        "region": name_of(initiative.region),
        "address": initiative.address,
        "latitude": initiative.latitude,
        "longitude": initiative.longitude,
        "website": initiative.website,
        "contact_email": initiative.contact_email,
        "contact_phone": initiative.contact_phone,
        "year_started": initiative.year_started,
        "source": initiative.source,
        "source_reference": initiative.source_reference,
        "updated_at": initiative.updated_at.isoformat() if initiative.updated_at else "",
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
