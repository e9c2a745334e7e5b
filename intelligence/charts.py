"""Small charts drawn on the server as SVG, each beside a table of the same figures.

No script and no library: the page, the print and the PDF show the same drawing, and the
table beside it is what screen readers and copy-paste use.
"""

import json
import math
from dataclasses import dataclass

from django.utils.formats import number_format

BAR_HEIGHT = 10
ROW_GAP = 10
LABEL_WIDTH = 230
# As attributes, not only CSS classes: WeasyPrint's SVG renderer ignores the page's stylesheet.
COLOURS = {
    "here": "#0b6e4f",
    "median": "#a7b8ae",
    "series-0": "#0b6e4f",
    "series-1": "#b3541e",
    "series-2": "#3559a8",
    "series-3": "#8a6d00",
}
CHART_WIDTH = 520
PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - 50
DOT_CELL = 3


@dataclass
class Bar:
    y: float
    width: float
    value: float
    css: str

    @property
    def colour(self):
        return COLOURS.get(self.css, "#555")

    @property
    def label(self):
        """The value as the page's language writes it (the SVG's own numbers are not)."""
        return number_format(self.value, 1)


@dataclass
class ChartRow:
    label: str
    y: float
    bars: list


def bar_chart(rows, series):
    """Geometry of a horizontal bar chart: ``rows`` of ``(label, [value per series])``,
    ``series`` the CSS class of each value (here, median…). Values None draw nothing."""
    values = [v for _label, vs in rows for v in vs if v is not None]
    top = max(values, default=0) or 1
    chart_rows = []
    y = 0
    group = BAR_HEIGHT * len(series)
    for label, vs in rows:
        bars = [
            Bar(y + i * BAR_HEIGHT, round(PLOT_WIDTH * v / top, 1), round(v, 1), css)
            for i, (v, css) in enumerate(zip(vs, series, strict=True))
            if v is not None
        ]
        chart_rows.append(ChartRow(label, y + group / 2, bars))
        y += group + ROW_GAP
    return {
        "rows": chart_rows,
        "height": max(y, 1),
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
    }


def _rings(geometry):
    kind = geometry.get("type")
    if kind == "Polygon":
        return geometry["coordinates"]
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def outline_map(outline, points, width=480, height=360):
    """An SVG map: the outline's path and the initiatives' points, in an equirectangular
    projection corrected at the territory's latitude (no tiles: it prints anywhere)."""

    west, south, east, north = outline.west, outline.south, outline.east, outline.north
    k = math.cos(math.radians((south + north) / 2)) or 1
    span_x = max((east - west) * k, 1e-6)
    span_y = max(north - south, 1e-6)
    scale = min(width / span_x, height / span_y)

    def project(lon, lat):
        return round((lon - west) * k * scale, 1), round((north - lat) * scale, 1)

    paths = []
    for ring in _rings(json.loads(outline.geometry)):
        coords = [project(lon, lat) for lon, lat, *_ in ring]
        paths.append("M" + "L".join(f"{x},{y}" for x, y in coords) + "Z")
    # One dot per 3 px cell: the same picture, far fewer elements to lay out (WeasyPrint).
    cells = {}
    for lat, lon in points:
        x, y = project(lon, lat)
        cells.setdefault((int(x // DOT_CELL), int(y // DOT_CELL)), (x, y))
    dots = list(cells.values())
    # All the dots in one path (a circle is two arcs): one element to draw, not thousands.
    radius = 2.5
    dots_path = "".join(
        f"M{x - radius:.1f},{y}a{radius},{radius} 0 1,0 {2 * radius},0"
        f"a{radius},{radius} 0 1,0 {-2 * radius},0"
        for x, y in dots
    )
    return {
        "path": " ".join(paths),
        "dots": dots,
        "dots_path": dots_path,
        "width": round(span_x * scale, 1),
        "height": round(span_y * scale, 1),
    }
