"""CSV files whose columns differ from ours: a column mapping (our field → the file's column),
guessed from the header and corrected by the curator, turns each row into a record.

Our own export's columns map by themselves; several themes in one cell are separated by
``|``, ``;`` or ``,``.
"""

import csv
import io
import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.licences import Licence
from ssemap.text import fold

from ..records import MAX_BYTES, Record, number

# Our fields, in the mapping form's order, with the column names that mean them.
FIELDS = {
    "identifier": (_("identifier in the source"), ["id", "identifiant", "slug", "source_identifier"]),
    "name": (_("name"), ["name", "nom", "titre", "title", "nom de la structure"]),
    "summary": (_("summary"), ["summary", "resume", "presentation_resume", "accroche"]),
    "description": (_("description"), ["description", "presentation", "presentation_detail"]),
    "organisation": (_("organisation"), ["organisation", "organization", "structure", "porteur"]),
    "address": (_("street address"), ["address", "adresse", "rue", "streetaddress"]),
    "postcode": (_("postcode"), ["postcode", "code_postal", "code postal", "cp", "postalcode"]),
    "commune_name": (_("commune name"), ["commune", "ville", "city", "addresslocality"]),
    "insee": (_("INSEE code"), ["commune_code", "code_insee", "insee", "code insee", "code commune"]),
    "latitude": (_("latitude"), ["latitude", "lat"]),
    "longitude": (_("longitude"), ["longitude", "lon", "lng", "long"]),
    "website": (_("website"), ["website", "site_web", "site web", "site", "url site"]),
    "contact_email": (_("e-mail"), ["contact_email", "email", "courriel", "mail", "e-mail"]),
    "contact_phone": (_("phone"), ["contact_phone", "telephone", "tel", "phone"]),
    "themes": (_("themes"), ["themes", "thematiques", "categories", "theme", "thematique"]),
}  # fmt: skip
MAX_ROWS = 10_000
THEME_SEPARATORS = re.compile(r"[|;,]")


def _key(column):
    return " ".join(fold(column).replace("_", " ").replace("-", " ").split())


def table(content):
    """``(header, rows, file errors)`` of the bytes of a CSV file (UTF-8, ``;`` or ``,``)."""
    if len(content) > MAX_BYTES:
        return [], [], [gettext("The file is larger than 20 MB: split it in several files.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [], [
            gettext(
                "The file is not UTF-8 text (byte %(position)d cannot be read). Save it as "
                "“CSV UTF-8” from your spreadsheet and try again."
            ) % {"position": error.start + 1}
        ]  # fmt: skip
    if "\x00" in text:
        return [], [], [gettext("The file contains binary data: it is not a CSV file.")]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        return [], [], [gettext("The file is not valid CSV: %(error)s") % {"error": error}]
    records = [r for r in records if any(c.strip() for c in r)]
    if len(records) < 2:
        return [], [], [gettext("The file has no rows under its header.")]
    if len(records) - 1 > MAX_ROWS:
        return [], [], [
            gettext("The file has %(count)d rows; at most %(max)d at a time.")
            % {"count": len(records) - 1, "max": MAX_ROWS}
        ]  # fmt: skip
    return [h.strip() for h in records[0]], records[1:], []


def guess_mapping(header):
    """Our field → the file's column, for the columns whose name says what they hold."""
    by_key = {_key(column): column for column in header}
    mapping = {}
    for name, (_label, aliases) in FIELDS.items():
        for alias in aliases:
            if _key(alias) in by_key:
                mapping[name] = by_key[_key(alias)]
                break
    return mapping


def mapping_errors(mapping, header):
    errors = [
        gettext("The file has no column “%(column)s”.") % {"column": column}
        for column in mapping.values()
        if column and column not in header
    ]
    if not mapping.get("name"):
        errors.append(gettext("Choose the column that holds the name."))
    return errors


def read(content, mapping=None):
    """``(records, file errors, licence)``; ``mapping`` defaults to :func:`guess_mapping`."""
    header, rows, errors = table(content)
    if errors:
        return [], errors, Licence.ETALAB_2
    mapping = {k: v for k, v in (mapping or guess_mapping(header)).items() if v}
    errors = mapping_errors(mapping, header)
    if errors:
        return [], errors, Licence.ETALAB_2
    column = {name: header.index(c) for name, c in mapping.items()}
    records = []
    for line, values in enumerate(rows, start=2):
        record = Record(line)
        if len(values) != len(header):
            record.problems.append(
                gettext("%(count)d values where the header has %(expected)d columns.")
                % {"count": len(values), "expected": len(header)}
            )
            records.append(record)
            continue
        for name, index in column.items():
            value = values[index].strip()
            if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
                value = value[1:]  # our export's guard against spreadsheet formulas
            if name in ("latitude", "longitude"):
                setattr(record, name, number(value, record, name))
            elif name == "themes":
                record.themes = [t.strip() for t in THEME_SEPARATORS.split(value) if t.strip()]
            else:
                setattr(record, name, value)
        records.append(record)
    return records, [], Licence.ETALAB_2
