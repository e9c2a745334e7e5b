"""Communes of imported records, resolved for a whole file at once.

An INSEE code, else a postcode with a name, else coordinates (the nearest commune centre), else
the text alone through the site's one resolver (``territories.forms.resolve_commune``). The
communes are read in one query for the whole file, not one per row.
"""

import math

from django import forms
from django.utils.translation import gettext

from ssemap.text import fold
from territories.forms import resolve_commune
from territories.models import Territory

# A point farther than this from any commune centre is not placed by its coordinates.
MAX_DISTANCE_KM = 20
GRID = 0.1  # degrees: the buckets of the nearest-commune search


def _name_key(name):
    return " ".join(fold(name).replace("-", " ").replace("'", " ").split())


class CommuneIndex:
    def __init__(self, need_all=False, codes=()):
        communes = Territory.objects.communes().only(
            "pk", "code", "name", "postcodes", "latitude", "longitude", "epci", "department",
            "region",
        )  # fmt: skip
        if not need_all:
            communes = communes.filter(code__in=set(codes))
        self.by_code = {}
        self.by_postcode = {}
        self.by_name = {}
        self.grid = {}
        for commune in communes:
            self.by_code[commune.code] = commune
            for postcode in commune.postcodes.split():
                self.by_postcode.setdefault(postcode, []).append(commune)
            self.by_name.setdefault(_name_key(commune.name), []).append(commune)
            if commune.latitude is not None and commune.longitude is not None:
                cell = (int(commune.latitude // GRID), int(commune.longitude // GRID))
                self.grid.setdefault(cell, []).append(commune)

    @classmethod
    def for_records(cls, records):
        """The communes ``records`` may name: only their INSEE codes when every record has a
        known one, else all of them (postcodes, names and coordinates need the whole map)."""
        codes = {r.insee.strip().upper() for r in records if r.insee.strip()}
        index = cls(codes=codes)
        if any(r.insee.strip().upper() not in index.by_code for r in records):
            index = cls(need_all=True)
        return index

    def resolve(self, record):
        """``(commune, None)`` or ``(None, reason)``."""
        code = record.insee.strip().upper()
        if code:
            if code in self.by_code:
                return self.by_code[code], None
            return None, gettext("No commune has the INSEE code “%(code)s”.") % {"code": code}
        postcode, name = record.postcode.strip(), _name_key(record.commune_name)
        if postcode and name:
            matches = [c for c in self.by_postcode.get(postcode, []) if _name_key(c.name) == name]
            if len(matches) == 1:
                return matches[0], None
        if record.latitude is not None and record.longitude is not None:
            nearest = self.nearest(record.latitude, record.longitude)
            if nearest is not None:
                return nearest, None
        text = record.commune_name.strip() or postcode
        if text:
            if postcode and len(self.by_postcode.get(postcode, [])) == 1 and not name:
                return self.by_postcode[postcode][0], None
            try:
                return resolve_commune(text), None
            except forms.ValidationError as error:
                return None, " ".join(error.messages)
        return None, gettext("No INSEE code, postcode, commune name or coordinates.")

    def nearest(self, latitude, longitude):
        row, column = int(latitude // GRID), int(longitude // GRID)
        k = max(math.cos(math.radians(latitude)), 0.01)
        best, best_km = None, MAX_DISTANCE_KM
        for dr in (-2, -1, 0, 1, 2):
            for dc in (-2, -1, 0, 1, 2):
                for commune in self.grid.get((row + dr, column + dc), ()):
                    km = 111.2 * math.hypot(
                        commune.latitude - latitude, (commune.longitude - longitude) * k
                    )
                    if km < best_km:
                        best, best_km = commune, km
        return best
