"""Map data: the GeoJSON the directory map draws, lean enough to send often.

A point feature carries only what its marker and popup need. The client also understands
cluster features (``{"cluster": true, "count": N, "bbox": [W, S, E, N]}``), which a server
may return instead of points at low zoom.
"""

from django.urls import reverse

COORDINATE_DECIMALS = 5  # about one metre


def _detail_url_template():
    """The detail URL in the active language with a placeholder, built once per payload."""
    return reverse("initiatives:detail", args=["__slug__"])


def map_feature_collection(queryset, *, zoom=None, bbox=None):
    """A GeoJSON FeatureCollection of the initiatives in ``queryset``.

    ``queryset`` is already filtered (by the directory's FilterSet, ``bbox`` included);
    ``zoom`` and ``bbox`` describe the view the map asks for.
    """
    url_template = _detail_url_template()
    rows = queryset.order_by().values_list(
        "slug", "name", "latitude", "longitude", "commune__name", "source"
    )
    features = [
        {
            "type": "Feature",
            "id": slug,
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(longitude, COORDINATE_DECIMALS),
                    round(latitude, COORDINATE_DECIMALS),
                ],
            },
            "properties": {
                "name": name,
                "commune": commune,
                "url": url_template.replace("__slug__", slug),
                "sample": source == "sample",
            },
        }
        for slug, name, latitude, longitude, commune, source in rows.iterator(chunk_size=2000)
    ]
    return {"type": "FeatureCollection", "features": features}
