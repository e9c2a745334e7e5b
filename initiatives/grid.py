"""Web Mercator grid positions, stored on each initiative so map clustering is integer maths.

An initiative's ``tile_x``/``tile_y`` are its tile coordinates at zoom ``GRID_ZOOM`` (about
2 m at the equator). The tile containing it at any coarser zoom ``z`` is then
``tile_x >> (GRID_ZOOM - z)``: a GROUP BY on that integer division clusters points by map tile
on SQLite and PostgreSQL alike, with no trigonometry in SQL.
"""

import math

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
