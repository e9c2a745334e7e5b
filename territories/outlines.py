"""Territory outlines at run time: the GeoJSON the maps draw, points inside an outline.

Pure Python over the stored GeoJSON (no GEOS at run time); the outlines themselves are built
by ``opendata.py`` with shapely and loaded by ``loader.load_outlines``.
"""

import json

from django.urls import reverse


def outline_feature(outline):
    """The territory's outline as a GeoJSON Feature, its name and kind in the properties."""
    territory = outline.territory
    # The geometry is spliced in as stored: no parse and re-serialise of ~100 KB.
    properties = json.dumps(
        {
            "name": territory.name,
            "kind": territory.kind,
            "kind_label": str(territory.get_kind_display()),
            "code": territory.code,
            "url": territory.get_absolute_url(),
            "source": outline.source,
        },
        ensure_ascii=False,
    )
    bbox = json.dumps([outline.west, outline.south, outline.east, outline.north])
    return (
        f'{{"type":"Feature","bbox":{bbox},"properties":{properties},'
        f'"geometry":{outline.geometry}}}'
    )


def outline_url(territory):
    return reverse("territories:outline", args=[territory.slug])


def polygons(geometry):
    """The polygons (lists of rings of ``[lon, lat]``) of a GeoJSON (Multi)Polygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    if geometry["type"] == "GeometryCollection":
        return [p for part in geometry["geometries"] for p in polygons(part)]
    return []


def _in_ring(longitude, latitude, ring):
    """Even-odd ray casting."""
    inside = False
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        if (y1 > latitude) != (y0 > latitude) and longitude < (x0 - x1) * (latitude - y1) / (
            y0 - y1
        ) + x1:
            inside = not inside
        x0, y0 = x1, y1
    return inside


def contains(geometry, latitude, longitude):
    """True when the point lies inside the (Multi)Polygon (outer ring in, holes out)."""
    return any(
        _in_ring(longitude, latitude, rings[0])
        and not any(_in_ring(longitude, latitude, hole) for hole in rings[1:])
        for rings in polygons(geometry)
    )


def random_point(geometry, bbox, rng, attempts=200):
    """A uniformly random ``(lat, lon)`` inside the outline, or None if none was found.

    Rejection sampling in the bounding box: communes fill a fair share of their box, so a
    few tries suffice; ``attempts`` bounds the work for a sliver-shaped one.
    """
    west, south, east, north = bbox
    for _attempt in range(attempts):
        latitude, longitude = rng.uniform(south, north), rng.uniform(west, east)
        if contains(geometry, latitude, longitude):
            return round(latitude, 6), round(longitude, 6)
    return None
