"""Geometry: the Web Mercator grid, bounding boxes and distances, in degrees (WGS 84).

Grid positions are stored on each initiative so map clustering is integer maths. An initiative's ``tile_x``/``tile_y`` are its tile coordinates at zoom ``GRID_ZOOM`` (about
2 m at the equator). The tile containing it at any coarser zoom ``z`` is then
``tile_x >> (GRID_ZOOM - z)``: a GROUP BY on that integer division clusters points by map tile
on SQLite and PostgreSQL alike, with no trigonometry in SQL.
"""

import math
from typing import NamedTuple

from django.db.models import F, Value

GRID_ZOOM = 24
GRID_SIZE = 1 << GRID_ZOOM
MAX_LATITUDE = 85.0511287798  # Web Mercator's limit


def world_x(longitude):
    """Longitude as a fraction of the world's width, 0 at 180° W, 1 at 180° E."""
    return (longitude + 180.0) / 360.0


def world_y(latitude):
    """Latitude as a Web Mercator fraction of the world's height, 0 at the top."""
    lat = math.radians(max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude)))
    return (1.0 - math.log(math.tan(lat) + 1.0 / math.cos(lat)) / math.pi) / 2.0


def grid_position(latitude, longitude):
    """The (tile_x, tile_y) of a point at ``GRID_ZOOM``."""
    x = int(world_x(longitude) * GRID_SIZE)
    y = int(world_y(latitude) * GRID_SIZE)
    return min(max(x, 0), GRID_SIZE - 1), min(max(y, 0), GRID_SIZE - 1)


def grid_range(west, south, east, north, zoom=GRID_ZOOM):
    """The inclusive tile ranges ``(x0, x1), (y0, y1)`` covering a bounding box at ``zoom``."""
    size = 1 << zoom
    x0 = min(max(int(world_x(west) * size), 0), size - 1)
    x1 = min(max(int(world_x(east) * size), 0), size - 1)
    y0 = min(max(int(world_y(north) * size), 0), size - 1)
    y1 = min(max(int(world_y(south) * size), 0), size - 1)
    return (x0, x1), (y0, y1)


KM_PER_DEGREE = 111.2  # of latitude, and of longitude at the equator
EARTH_RADIUS_KM = 6371.0


class BBox(NamedTuple):
    """A bounding box in degrees."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, longitude, latitude):
        return self.west <= longitude <= self.east and self.south <= latitude <= self.north

    def as_leaflet_bounds(self):
        """``[[south, west], [north, east]]``, as Leaflet's ``fitBounds`` takes it."""
        return [[self.south, self.west], [self.north, self.east]]


def box_around(latitude, longitude, radius_km):
    """The bounding box of a circle of ``radius_km`` around a point (for index range scans)."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return BBox(longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_from(latitude, longitude):
    """Squared equirectangular distance in degrees², as a SQL expression on ``latitude`` and
    ``longitude``: enough to order by, with no SQL maths functions (SQLite has none)."""
    k = math.cos(math.radians(latitude))
    dlat = F("latitude") - Value(latitude)
    dlon = (F("longitude") - Value(longitude)) * Value(k)
    return dlat * dlat + dlon * dlon
