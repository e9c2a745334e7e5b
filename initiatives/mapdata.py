"""Map data: the GeoJSON the directory map draws, small at every zoom whatever the data size.

When the filtered initiatives of the view fit in ``MAX_POINTS``, they are sent as points (the
client clusters them itself). Otherwise the server clusters them: one GROUP BY on each
initiative's precomputed grid position (initiatives/geo.py) gives, per grid cell, a count, the
mean position of its points (so a cluster sits where its initiatives are, not at the cell's
centre) and their bounding box. Cells holding a single initiative are sent as that point;
clusters closer than a marker's width on screen are merged.
The grid is about 64 px at the requested zoom (32 px from ``FINE_ZOOM`` on), and never has
more than ``MAX_CELLS_ACROSS`` cells across the requested area, so a response holds at most a
few thousand features however large the data or the area asked for.

Point features carry only what a marker and its popup need; cluster features are
``{"cluster": true, "count": N, "bbox": [W, S, E, N]}``.
"""

import math

from django.db.models import Avg, Count, F, Max, Min, OuterRef, Subquery, Sum
from django.urls import reverse

from . import caching, memberships
from .geo import GRID_ZOOM, grid_range, world_x, world_y
from .models import CellTally, FilteredCellTally, Initiative
from .tallies import CELL_LEVELS, FILTERED_LEVELS

COORDINATE_DECIMALS = 5  # about one metre
MAX_POINTS = 400
DEFAULT_ZOOM = 5
FINE_ZOOM = 17
MAX_CELLS_ACROSS = 64
MERGE_RADIUS_PX = 44  # cluster markers are 40 px wide
# Up to this grid level (zoom 9 and below), clusters are computed once for all of the
# filtered initiatives, cached with the data version, and cut to each requested area: the
# coarse views of many visitors then share one computation. A cluster belongs to an area when
# its position (the mean of its points) does.
WHOLE_GRID_MAX_LEVEL = 11
POINT_FIELDS = (
    "pk",
    "slug",
    "name",
    "latitude",
    "longitude",
    "commune__name",
    "source",
    "location_precision",
    "stale",
    "main_theme",
)


def _point_rows(queryset):
    """The rows of point features, each with its first theme (the marker's colour and shape)."""
    first_theme = (
        Initiative.themes.through.objects.filter(initiative=OuterRef("pk"))
        .order_by("theme__position", "theme__pk")
        .values("theme__slug")[:1]
    )
    return list(queryset.annotate(main_theme=Subquery(first_theme)).values_list(*POINT_FIELDS))


def _detail_url_template():
    """The detail URL in the active language with a placeholder, built once per payload."""
    return reverse("initiatives:detail", args=["__slug__"])


def cluster_level(zoom=None, bbox=None):
    """The grid zoom to cluster at: ~64 px cells (32 px when zoomed in), bounded by the area."""
    zoom = DEFAULT_ZOOM if zoom is None else zoom
    level = zoom + (3 if zoom >= FINE_ZOOM else 2)
    if bbox is not None:
        west, south, east, north = bbox
        span = max(world_x(east) - world_x(west), world_y(south) - world_y(north), 1e-12)
        level = min(level, int(math.floor(math.log2(MAX_CELLS_ACROSS / span))))
    return max(0, min(level, GRID_ZOOM))


def scope_margin(zoom=None, bbox=None):
    """How far (a fraction of the world's width) beyond the area asked for a change can move
    what the map shows: a cluster's cell straddling the edge, then merging with a neighbour."""
    zoom = DEFAULT_ZOOM if zoom is None else zoom
    return 2.0 ** -cluster_level(zoom, bbox) + MERGE_RADIUS_PX / (256 * 2**zoom)


def map_feature_collection(
    queryset, *, zoom=None, bbox=None, unbounded=None, scopes=None, everything=False, filtered=None
):
    """A GeoJSON FeatureCollection of the initiatives in ``queryset``: points or clusters.

    ``queryset`` is already filtered (by the directory's FilterSet, ``bbox`` included);
    ``zoom`` and ``bbox`` describe the view the map asks for. ``unbounded``, the same
    filters without the area, lets coarse grids be computed once for every area (see
    ``WHOLE_GRID_MAX_LEVEL``). The collection also says ``total`` (initiatives represented)
    and ``clustered``. ``scopes`` are the parts of the data ``unbounded`` shows (caching).
    ``everything``: ``unbounded`` is all the published initiatives, whose coarse grids the
    cell tallies hold (PostgreSQL). ``filtered``: ``unbounded`` is the published initiatives
    of these filters only (``InitiativeFilterSet.tally_filtered_cells``), whose coarse grids up
    to ``FILTERED_LEVELS`` the filtered cell tallies hold.
    """
    queryset = queryset.order_by()
    url_template = _detail_url_template()
    # A cheap probe (ids only, stops at MAX_POINTS + 1) before reading full rows.
    if len(queryset.values_list("pk")[: MAX_POINTS + 1]) <= MAX_POINTS:
        rows = _point_rows(queryset)
        return _collection([_point(row, url_template) for row in rows], len(rows), False)

    level = cluster_level(zoom, bbox)
    tallied = (
        everything
        and unbounded is not None
        and level <= CELL_LEVELS
        and memberships.stored(unbounded)
    )
    from_filtered = filtered and unbounded is not None and level <= FILTERED_LEVELS
    if unbounded is not None and level <= WHOLE_GRID_MAX_LEVEL:

        def grid():
            if tallied:
                return _tallied_cells(level)
            if from_filtered:
                return _tallied_cells(level, filtered=filtered)
            return _cells(unbounded, level)

        cells, singles = caching.cached(
            "cells", [level, _query_key(unbounded)], grid, scopes=scopes
        )
    elif tallied:
        # A city's unfiltered map (zoom 10–11): the cells it overlaps, from the tallies. Its
        # clusters are then whole cells, as at the coarse levels, cut to the area the same way.
        cells, singles = _tallied_cells(level, bbox)
    else:
        cells, singles = _cells(queryset, level, bbox)
    if (tallied or level <= WHOLE_GRID_MAX_LEVEL) and unbounded is not None and bbox is not None:
        cells = [cell for cell in cells if bbox.contains(cell["mean_lon"], cell["mean_lat"])]
        singles = [row for row in singles if bbox.contains(row[4], row[3])]
    cells = merge_close(cells, max(level - 2, 0) if zoom is None else zoom)
    features = [_cluster(cell) for cell in cells]
    features.extend(_point(row, url_template) for row in singles)
    total = sum(cell["count"] for cell in cells) + len(singles)
    return _collection(features, total, True)


def merge_close(cells, zoom, radius=MERGE_RADIUS_PX):
    """Merge clusters whose positions are less than ``radius`` px apart at ``zoom``.

    Neighbouring grid cells can have their means close to their common border, so their
    markers would overlap; the larger cluster absorbs the smaller (counts add up, the position
    is the weighted mean, the bounding boxes join). Linear time through a hash of the screen.
    """
    scale = 256 * 2**zoom
    kept, buckets = [], {}
    for cell in sorted(cells, key=lambda c: -c["count"]):
        x = world_x(cell["mean_lon"]) * scale
        y = world_y(cell["mean_lat"]) * scale
        bx, by = int(x // radius), int(y // radius)
        target = None
        for nx in (bx - 1, bx, bx + 1):
            for ny in (by - 1, by, by + 1):
                for other, ox, oy in buckets.get((nx, ny), ()):
                    if (ox - x) ** 2 + (oy - y) ** 2 < radius * radius:
                        target = other
                        break
                if target:
                    break
            if target:
                break
        if target is None:
            merged = dict(cell)
            kept.append(merged)
            buckets.setdefault((bx, by), []).append((merged, x, y))
            continue
        total = target["count"] + cell["count"]
        for key in ("mean_lat", "mean_lon"):
            target[key] = (target[key] * target["count"] + cell[key] * cell["count"]) / total
        target["count"] = total
        target["west"], target["south"] = (
            min(target["west"], cell["west"]),
            min(target["south"], cell["south"]),
        )
        target["east"], target["north"] = (
            max(target["east"], cell["east"]),
            max(target["north"], cell["north"]),
        )
    return kept


def _cells(queryset, level, bbox=None):
    """The grid cells at ``level`` holding several initiatives, and the rows of the others."""
    if bbox is not None:
        # The same area as grid ranges: the covering grid index then answers alone.
        (x0, x1), (y0, y1) = grid_range(*bbox)
        queryset = queryset.filter(tile_x__range=(x0, x1), tile_y__range=(y0, y1))
    divisor = 1 << (GRID_ZOOM - level)
    rows = (
        queryset.order_by()
        .annotate(cell_x=F("tile_x") / divisor, cell_y=F("tile_y") / divisor)
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            mean_lat=Avg("latitude"),
            mean_lon=Avg("longitude"),
            west=Min("longitude"),
            south=Min("latitude"),
            east=Max("longitude"),
            north=Max("latitude"),
            first=Min("pk"),
        )
        .order_by()
    )
    cells, single_ids = [], []
    for cell in rows:
        if cell["count"] == 1:
            single_ids.append(cell["first"])
        else:
            cells.append(cell)
    singles = []
    if single_ids:
        singles = _point_rows(Initiative.objects.filter(pk__in=single_ids))
    return cells, singles


def _tallied_cells(level, bbox=None, filtered=None):
    """What ``_cells`` gives for all the published initiatives, read from the cell tallies;
    with ``bbox``, only the cells it overlaps (whole: cut them with their means); with
    ``filtered``, for the initiatives of these filters, summing the combinations they match."""
    cells, single_ids = [], []
    if filtered:
        rows = _filtered_rows(level, filtered)
    else:
        rows = CellTally.objects.filter(level=level, n__gt=0).values()
    if bbox is not None:
        shift = GRID_ZOOM - level
        (x0, x1), (y0, y1) = grid_range(*bbox)
        rows = rows.filter(
            cell_x__range=(x0 >> shift, x1 >> shift), cell_y__range=(y0 >> shift, y1 >> shift)
        )
    for row in rows:
        if row["n"] == 1:
            single_ids.append(row["sum_id"])  # the sum of one id
            continue
        cells.append(
            {
                "cell_x": row["cell_x"],
                "cell_y": row["cell_y"],
                "count": row["n"],
                "mean_lat": row["sum_lat"] / row["n"],
                "mean_lon": row["sum_lon"] / row["n"],
                **{side: row[side] for side in ("west", "south", "east", "north")},
            }
        )
    singles = _point_rows(Initiative.objects.filter(pk__in=single_ids)) if single_ids else []
    return cells, singles


def _filtered_rows(level, filtered):
    """The filtered cell tallies' rows of the combinations ``filtered`` matches, summed per
    cell: themes and legal forms any of those given, as the filters are."""
    lookups = {
        "theme_ids": "theme_ids__overlap",
        "size_class": "size_class__in",
        "low_tech": "low_tech",
        "legal_form": "legal_form__in",
    }
    rows = FilteredCellTally.objects.filter(
        level=level, n__gt=0, **{lookups[name]: value for name, value in filtered.items()}
    )
    return (
        rows.values("cell_x", "cell_y")
        .annotate(
            n=Sum("n"),
            sum_lat=Sum("sum_lat"),
            sum_lon=Sum("sum_lon"),
            sum_id=Sum("sum_id"),
            west=Min("west"),
            south=Min("south"),
            east=Max("east"),
            north=Max("north"),
        )
        .order_by()
    )


def _collection(features, total, clustered):
    return {
        "type": "FeatureCollection",
        "total": total,
        "clustered": clustered,
        "features": features,
    }


def _round(value):
    return round(value, COORDINATE_DECIMALS)


def _point(row, url_template):
    _pk, slug, name, latitude, longitude, commune, source, precision, stale, theme = row
    feature = {
        "type": "Feature",
        "id": slug,
        "geometry": {"type": "Point", "coordinates": [_round(longitude), _round(latitude)]},
        "properties": {
            "name": name,
            "commune": commune,
            "url": url_template.replace("__slug__", slug),
            "sample": source == "sample",
            "precision": precision,
            "theme": theme or "",
        },
    }
    if stale:  # only on the few that are: drawn faded (freshness/), the payload stays small
        feature["properties"]["stale"] = True
    return feature


def _cluster(cell):
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [_round(cell["mean_lon"]), _round(cell["mean_lat"])],
        },
        "properties": {
            "cluster": True,
            "count": cell["count"],
            "bbox": [_round(cell[k]) for k in ("west", "south", "east", "north")],
        },
    }


def _query_key(queryset):
    """The SQL and its parameters, quoted (``str(query)`` pastes parameters in unquoted, so two
    different searches could print the same text)."""
    sql, params = queryset.order_by().query.sql_with_params()
    return repr((sql, params))
