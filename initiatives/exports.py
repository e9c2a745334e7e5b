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
