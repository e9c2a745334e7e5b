"""GoGoCarto's JSON: elements and taxonomy, out (a GoGoCarto map adds ssemap as a source that
refreshes itself) and in (the export of a GoGoCarto map: Transiscope, tiers-lieux maps…).

An element: ``id``, ``name``, ``geo`` {latitude, longitude}, ``address`` {streetAddress,
postalCode, addressLocality}, ``categories`` (option names; ``categoriesFull`` with ids),
``description``, ``email``, ``telephone``, ``website``, ``updatedAt``. The taxonomy: a list of
categories, each with its ``options``.
"""

from django.utils.translation import gettext

from initiatives.licences import Licence

from ..records import Record, items_of, load_json, number, text

TAXONOMY_ID = "themes"


def element(row, theme_names):
    """One export row (``initiatives.exports.export_row``) as a GoGoCarto element."""
    return {
        "id": row["slug"],
        "name": row["name"],
        "geo": {"latitude": row["latitude"], "longitude": row["longitude"]},
        "address": {
            "streetAddress": row["address"],
            "addressLocality": row["commune"],
            "addressCountry": "FR",
            "customFormatedAddress": ", ".join(p for p in (row["address"], row["commune"]) if p),
        },
        "categories": [theme_names[slug] for slug in row["themes"] if slug in theme_names],
        "categoriesFull": [
            {"id": slug, "name": theme_names[slug]} for slug in row["themes"] if slug in theme_names
        ],
        "description": row["summary"],
        "descriptionMore": row["description"],
        # No "email": the listed address is private (reached through the page's contact form).
        "telephone": row["contact_phone"],
        "website": row["website"],
        "updatedAt": row["updated_at"],
        "sourceKey": "ssemap",
        "licence": row["licence"],
        "url": row["url"],
    }


def taxonomy(themes):
    """Our themes as one GoGoCarto category whose options are the themes."""
    return [
        {
            "id": TAXONOMY_ID,
            "name": gettext("Themes"),
            "isMandatory": True,
            "singleOption": False,
            "options": [
                {"id": theme.slug, "name": theme.name, "description": theme.description}
                for theme in themes
            ],
        }
    ]


def read(content):
    """``(records, file errors, licence)`` of a GoGoCarto export (``{"data": [...]}`` or a list)."""
    data, error = load_json(content)
    if error:
        return [], [error], Licence.ETALAB_2
    elements = items_of(data, "data", "elements")
    if elements is None:
        return [], [gettext("No list of elements (expected “data”: […]).")], Licence.ETALAB_2
    stated = text(data.get("licence") or data.get("license")) if isinstance(data, dict) else ""
    licence = Licence.ODBL_1 if "odbl" in stated.lower() else Licence.ETALAB_2
    return [record(n, e) for n, e in enumerate(elements, start=1)], [], licence


def record(line, element):
    if not isinstance(element, dict):
        return Record(line, problems=[gettext("not an object")])
    geo = element.get("geo") if isinstance(element.get("geo"), dict) else {}
    address = element.get("address") if isinstance(element.get("address"), dict) else {}
    result = Record(line, identifier=text(element.get("id")))
    result.name = text(element.get("name") or element.get("title"))
    result.summary = text(element.get("description"))
    result.description = text(element.get("descriptionMore"))
    result.address = text(address.get("streetAddress"))
    result.postcode = text(address.get("postalCode"))
    result.commune_name = text(address.get("addressLocality"))
    result.latitude = number(geo.get("latitude", element.get("lat")), result, "latitude")
    result.longitude = number(
        geo.get("longitude", element.get("lng", element.get("long"))), result, "longitude"
    )
    result.website = text(element.get("website"))
    result.contact_email = text(element.get("email"))
    result.contact_phone = text(element.get("telephone"))
    categories = element.get("categories") or element.get("taxonomy") or []
    if not categories and isinstance(element.get("categoriesFull"), list):
        categories = [c.get("name") for c in element["categoriesFull"] if isinstance(c, dict)]
    result.themes = [text(c) for c in categories if isinstance(c, (str, int))]
    return result
