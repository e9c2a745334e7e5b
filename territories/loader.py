"""Load the territories dataset (see ``opendata.py``) into the database, idempotently."""

import functools
import gzip
import json

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from .models import Kind, Outline, Territory, size_class_for

DATASET_PATH = settings.BASE_DIR / "fixtures" / "territories.json.gz"
OUTLINES_PATH = settings.BASE_DIR / "fixtures" / "territory-outlines.json.gz"
BASE_MAP_PATH = settings.BASE_DIR / "static" / "geo" / "base-map.geojson"
UPDATE_FIELDS = [
    "name",
    "slug",
    "population",
    "epci_kind",
    "region",
    "department",
    "epci",
    "size_class",
    "postcodes",
    "latitude",
    "longitude",
    "coordinates_source",
    "source",
]


def read_dataset(path=DATASET_PATH):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def read_outlines(path=OUTLINES_PATH):
    """The shipped outlines, read once per process (the test suite loads them often)."""
    return read_dataset(path)


def write_dataset(dataset, path=DATASET_PATH):
    # mtime=0 keeps the file byte-identical when the data has not changed.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(dataset, ensure_ascii=False, separators=(",", ":")).encode())


def is_loaded(dataset):
    """True when every territory of the dataset is already in the database."""
    expected = sum(len(dataset[key]) for key in ("regions", "departments", "epcis", "communes"))
    return Territory.objects.count() >= expected


def _upsert(rows):
    Territory.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["kind", "code"],
        update_fields=UPDATE_FIELDS,
    )
    kind = rows[0].kind if rows else None
    return dict(Territory.objects.filter(kind=kind).values_list("code", "pk"))


def _unique_slugs(names_and_codes):
    """Slugs from names; a name shared by several territories gets its code appended."""
    counts = {}
    for name, _code in names_and_codes:
        counts[slugify(name)] = counts.get(slugify(name), 0) + 1
    return {
        code: slugify(name) if counts[slugify(name)] == 1 else f"{slugify(name)}-{code}"
        for name, code in names_and_codes
    }


@transaction.atomic
def load_dataset(dataset):
    """Create or update every territory of ``dataset``; returns counts per kind."""
    source = dataset["sources"]["territories"]
    coords_source = dataset["sources"]["coordinates"]

    region_slugs = _unique_slugs([(r["name"], r["code"]) for r in dataset["regions"]])
    regions = _upsert(
        [
            Territory(
                kind=Kind.REGION,
                code=r["code"],
                name=r["name"],
                slug=region_slugs[r["code"]],
                population=r["population"],
                latitude=r["lat"],
                longitude=r["lon"],
                source=source,
            )
            for r in dataset["regions"]
        ]
    )
    departments = _upsert(
        [
            Territory(
                kind=Kind.DEPARTMENT,
                code=d["code"],
                name=d["name"],
                slug=f"{slugify(d['name'])}-{d['code'].lower()}",
                population=d["population"],
                region_id=regions.get(d["region"]),
                latitude=d["lat"],
                longitude=d["lon"],
                source=source,
            )
            for d in dataset["departments"]
        ]
    )
    epci_slugs = _unique_slugs([(e["name"], e["code"]) for e in dataset["epcis"]])
    epcis = _upsert(
        [
            Territory(
                kind=Kind.EPCI,
                code=e["code"],
                name=e["name"],
                slug=epci_slugs[e["code"]],
                epci_kind=e["kind"],
                population=e["population"],
                region_id=regions.get(e["region"]),
                department_id=departments.get(e["department"]),
                latitude=e["lat"],
                longitude=e["lon"],
                source=source,
            )
            for e in dataset["epcis"]
        ]
    )
    communes = _upsert(
        [
            Territory(
                kind=Kind.COMMUNE,
                code=c["code"],
                name=c["name"],
                slug=f"{slugify(c['name'])}-{c['code'].lower()}",
                population=c["population"],
                size_class=size_class_for(c["population"]),
                region_id=regions.get(c["region"]),
                department_id=departments.get(c["department"]),
                epci_id=epcis.get(c["epci"]),
                postcodes=" ".join(c["postcodes"]),
                latitude=c["lat"],
                longitude=c["lon"],
                coordinates_source=c["coordinates_source"],
                source=f"{source}; coordinates: {coords_source}",
            )
            for c in dataset["communes"]
        ]
    )
    return {
        "regions": len(regions),
        "departments": len(departments),
        "epcis": len(epcis),
        "communes": len(communes),
    }


OUTLINE_KINDS = {
    "regions": Kind.REGION,
    "departments": Kind.DEPARTMENT,
    "epcis": Kind.EPCI,
    "communes": Kind.COMMUNE,
}


def outlines_loaded(outlines):
    expected = sum(len(outlines[key]) for key in OUTLINE_KINDS)
    return Outline.objects.count() >= expected


@transaction.atomic
def load_outlines(outlines, territories=None):
    """Create or update the outline of every territory (or of ``territories`` only).

    Territories must be loaded first; an outline whose territory is missing is skipped.
    Returns how many outlines were written.
    """
    wanted = None if territories is None else {(t.kind, t.code) for t in territories}
    rows = []
    for key, kind in OUTLINE_KINDS.items():
        by_code = outlines[key]
        codes = by_code if wanted is None else [c for k, c in wanted if k == kind and c in by_code]
        pks = dict(Territory.objects.filter(kind=kind, code__in=codes).values_list("code", "pk"))
        for code, pk in pks.items():
            entry = by_code[code]
            west, south, east, north = entry["bbox"]
            rows.append(
                Outline(
                    territory_id=pk,
                    geometry=entry["geometry"],
                    west=west,
                    south=south,
                    east=east,
                    north=north,
                    source=outlines["source"],
                )
            )
    Outline.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["territory"],
        update_fields=["geometry", "west", "south", "east", "north", "source"],
    )
    return len(rows)
