"""Programme membership imported from a CSV: ``programme,code,year,source``.

``programme`` is the programme's slug or French name; ``code`` a commune's INSEE code or an
intercommunality's SIREN (nine digits). Each row adds the territory to the programme
(``Territory.programmes``) and records its year and source; a row that names nothing known is
reported with its line number, never guessed.
"""

import csv
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from territories.models import Kind, Programme, Territory

from .models import ProgrammeMembership

COLUMNS = ("programme", "code", "year", "source")


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)


def _territory(code):
    kind = Kind.EPCI if len(code) == 9 and code.isdigit() else Kind.COMMUNE
    return Territory.objects.filter(kind=kind, code=code).first()


def _programme(name):
    return Programme.objects.filter(Q(slug=name) | Q(name_fr__iexact=name)).first()


@transaction.atomic
def import_memberships(lines):
    """Read ``lines`` (an iterable of CSV text lines with a header) and apply them."""
    report = Report()
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return report
    for number, row in enumerate(reader, start=2):
        programme = _programme((row["programme"] or "").strip())
        territory = _territory((row["code"] or "").strip())
        year_text = (row["year"] or "").strip()
        if programme is None:
            report.errors.append(
                _("Line %(line)s: unknown programme “%(value)s”.")
                % {"line": number, "value": row["programme"]}
            )
            continue
        if territory is None:
            report.errors.append(
                _("Line %(line)s: no commune (INSEE code) or intercommunality (SIREN) “%(value)s”.")
                % {"line": number, "value": row["code"]}
            )
            continue
        if year_text and not (year_text.isdigit() and 1950 <= int(year_text) <= 2100):
            report.errors.append(
                _("Line %(line)s: the year must be between 1950 and 2100.") % {"line": number}
            )
            continue
        _membership, created = ProgrammeMembership.objects.update_or_create(
            programme=programme,
            territory=territory,
            defaults={"year": int(year_text) if year_text else None, "source": row["source"][:300]},
        )
        territory.programmes.add(programme)
        if created:
            report.added += 1
        else:
            report.updated += 1
    return report
