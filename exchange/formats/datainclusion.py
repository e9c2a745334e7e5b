"""data·inclusion "structures" (the schema of the PyPI package ``data-inclusion-schema``, v1),
out (every published record under the Licence Ouverte) and in (a structures file or API page).

Records under a share-alike licence are left out of the export: data·inclusion republishes
under the Licence Ouverte, and ODbL data may not be relabelled (``initiatives.licences``).
"""

from django.utils.translation import gettext

from initiatives.licences import Licence

from ..records import Record, items_of, load_json, number, text

SOURCE = "ssemap"
LICENCE = Licence.ETALAB_2


def structure(row):
    """One export row as a data·inclusion structure (a dict the schema's model validates)."""
    name = row["name"].rstrip(". ")
    if len(name) < 3:  # the schema wants 3 to 150 characters
        name = f"{name} ({row['commune']})"
    description = row["description"] or row["summary"]
    return {
        "source": SOURCE,
        "id": f"{SOURCE}--{row['slug']}",
        "nom": name[:150],
        "date_maj": row["updated_at"][:10],
        "description": description if len(description) >= 5 else None,
        "lien_source": row["url"],
        "commune": row["commune"],
        "code_insee": row["commune_code"] if len(row["commune_code"]) == 5 else None,
        "adresse": row["address"] or None,
        "longitude": row["longitude"],
        "latitude": row["latitude"],
        "telephone": row["contact_phone"] or None,
        # The listed address is private (reached through the page's contact form, freshness/).
        "courriel": None,
        "site_web": row["website"] or None,
    }


def read(content):
    """``(records, file errors, licence)`` of a structures file: a list, or ``{"items": […]}``."""
    data, error = load_json(content)
    if error:
        return [], [error], LICENCE
    items = items_of(data, "items", "data", "results", "structures")
    if items is None:
        return [], [gettext("No list of structures (expected a list or “items”: […]).")], LICENCE
    return [record(n, item) for n, item in enumerate(items, start=1)], [], LICENCE


def record(line, item):
    if not isinstance(item, dict):
        return Record(line, problems=[gettext("not an object")])
    result = Record(line, identifier=text(item.get("id")))
    result.name = text(item.get("nom"))
    result.summary = text(item.get("presentation_resume"))
    result.description = text(item.get("description") or item.get("presentation_detail"))
    result.address = ", ".join(
        p for p in (text(item.get("adresse")), text(item.get("complement_adresse"))) if p
    )
    result.postcode = text(item.get("code_postal"))
    result.commune_name = text(item.get("commune"))
    result.insee = text(item.get("code_insee"))
    result.latitude = number(item.get("latitude"), result, "latitude")
    result.longitude = number(item.get("longitude"), result, "longitude")
    result.website = text(item.get("site_web"))
    result.contact_email = text(item.get("courriel"))
    result.contact_phone = text(item.get("telephone"))
    labels = []
    for key in ("thematiques", "typologie", "reseaux_porteurs"):
        value = item.get(key)
        labels += [text(v) for v in value] if isinstance(value, list) else [text(value)]
    result.themes = [label for label in labels if label]
    return result
