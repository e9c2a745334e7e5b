"""The country by territory: initiatives per 10,000 inhabitants of every region, department
or intercommunality, drawn server-side as an SVG choropleth with its legend and a table.

The shapes come from the outlines (projected once and cached on the reference data: they
change only with the administrative map); the rates from one grouped count per level.
"""

import json
import math

from initiatives import caching
from initiatives.models import TERRITORY_COLUMN, Initiative
from territories.models import Kind, Outline, Territory

from .comparison import per_inhabitants

LEVELS = {"region": Kind.REGION, "department": Kind.DEPARTMENT, "epci": Kind.EPCI}
# Mainland France and Corsica: the overseas territories are listed in the table.
MAINLAND = (-5.3, 41.3, 9.7, 51.2)
WIDTH = 640
# Sequential greens, light to dark, one per class.
PALETTE = ("#edf6ef", "#bfe0c8", "#86c29a", "#3f9a66", "#0b6e4f")
CLASSES = len(PALETTE)


def _project():
    west, south, east, north = MAINLAND
    k = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * k)
    height = round((north - south) * scale)
    return (
        lambda lon, lat: (round((lon - west) * k * scale), round((north - lat) * scale))
    ), height


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def shapes(kind):
    """``{territory id: SVG path}`` of the mainland territories of ``kind``, in whole pixels
    (points that fall on the same pixel are dropped: a light page)."""
    project, _height = _project()
    west, south, east, north = MAINLAND
    outlines = Outline.objects.filter(
        territory__kind=kind, west__gte=west, east__lte=east, south__gte=south, north__lte=north
    ).values_list("territory_id", "geometry")
    paths = {}
    for pk, geometry in outlines.iterator():
        parts = []
        for ring in _rings(json.loads(geometry)):
            points = []
            for lon, lat, *_rest in ring:
                point = project(lon, lat)
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        if parts:
            paths[pk] = "".join(parts)
    return paths


def breaks(values, classes=CLASSES):
    """Quantile class limits of ``values`` (the upper bounds of all classes but the last)."""
    values = sorted(values)
    if not values:
        return []
    limits = [values[min(len(values) - 1, len(values) * i // classes)] for i in range(1, classes)]
    return sorted(set(limits))


def class_colours(limits):
    """The colour of each class: spread over the palette, so the top class is the darkest
    even when few distinct values make fewer classes."""
    classes = len(limits) + 1
    if classes == 1:
        return [PALETTE[-1]]
    return [PALETTE[round(i * (len(PALETTE) - 1) / (classes - 1))] for i in range(classes)]


def colour_of(rate, limits):
    colours = class_colours(limits)
    for i, limit in enumerate(limits):
        if rate < limit:
            return colours[i]
    return colours[-1]


def rates(kind):
    """Territories of ``kind`` with ``initiative_count`` and ``rate``, highest rate first."""
    column = TERRITORY_COLUMN[kind]
    counts = Initiative.objects.published().count_by(column)
    territories = list(Territory.objects.filter(kind=kind).only("name", "slug", "population"))
    for territory in territories:
        territory.initiative_count = counts.get(territory.pk, 0)
        territory.rate = per_inhabitants(territory.initiative_count, territory.population)
    return sorted(territories, key=lambda t: (-(t.rate or 0), t.name))


def choropleth(kind):
    """What the map page shows: shapes with colours, the legend and the table's rows."""
    paths = caching.cached("intel-shapes", [kind], lambda: shapes(kind), scopes=[])
    rows = caching.cached("intel-rates", [kind], lambda: rates(kind))
    limits = breaks([t.rate for t in rows if t.rate is not None])
    height = _project()[1]
    areas = [
        {"path": paths[t.pk], "colour": colour_of(t.rate or 0, limits), "territory": t}
        for t in rows
        if t.pk in paths
    ]
    bounds = [0, *limits]
    colours = class_colours(limits)
    legend = [
        (colours[i], low, bounds[i + 1] if i + 1 < len(bounds) else None)
        for i, low in enumerate(bounds)
    ]
    return {"areas": areas, "legend": legend, "rows": rows, "width": WIDTH, "height": height}
