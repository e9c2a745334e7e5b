"""One record of an outside file, read by a format (exchange/formats/) into our words.

Every reader gives these; the importer (``importer.py``) validates, places and matches them.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass
class Record:
    line: int  # position in the file, 1-based (a CSV's line, a JSON list's item)
    identifier: str = ""  # the record's id in its source
    name: str = ""
    summary: str = ""
    description: str = ""
    organisation: str = ""
    address: str = ""
    postcode: str = ""
    commune_name: str = ""
    insee: str = ""
    latitude: float | None = None
    longitude: float | None = None
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    themes: list = field(default_factory=list)  # labels, as the source writes them
    problems: list = field(default_factory=list)  # what the reader could not read


def text(value):
    """A source's value as text: None and non-text values become '' or their text."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value if v is not None)
    if isinstance(value, dict):
        return ""
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def number(value, record, label):
    """A coordinate as a float, or None with a problem noted on ``record``."""
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        record.problems.append(f"{label}: “{value}”")
        return None


MAX_BYTES = 20 * 1024 * 1024


def load_json(content):
    """``(data, None)`` or ``(None, reason)`` for the bytes of a JSON file."""
    if len(content) > MAX_BYTES:
        return None, gettext("The file is larger than 20 MB: split it in several files.")
    try:
        return json.loads(content.decode("utf-8-sig")), None
    except UnicodeDecodeError:
        return None, gettext("The file is not UTF-8 text.")
    except ValueError as error:
        return None, gettext("The file is not valid JSON: %(error)s") % {"error": error}


def items_of(data, *keys):
    """The list of records of a JSON document: the document itself, or under one of ``keys``."""
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                return data[key]
        return None
    return data if isinstance(data, list) else None
