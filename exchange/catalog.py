"""Linked-data descriptions: the DCAT catalogue of our datasets (``/catalog.jsonld``, harvested
by data.gouv.fr), the schema.org ``Dataset`` of the about page and the ``Organization``/``Place``
of each initiative page. Plain dicts; the views and template tags serialise them.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from initiatives import caching, licences
from initiatives.models import Initiative

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:modified": {"@type": "xsd:dateTime"},
    "dct:license": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:downloadURL": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
}
FRANCE = "http://publications.europa.eu/resource/authority/country/FRA"


def _url(request, name, *args):
    try:
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:
        return None


def _bbox_wkt(box):
    w, s, e, n = box.west, box.south, box.east, box.north
    return f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"


def _distribution(url, title, media_type, licence):
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcat:mediaType": media_type,
        "dct:license": licences.url_of(licence),
    }


def catalog(request):
    """The DCAT catalogue: the directory (CSV, GeoJSON, JSON) and its data·inclusion form."""
    published = Initiative.objects.published()
    modified = caching.last_modified(request).isoformat()
    licence = licences.selection_licence(published)
    box = published.bounds()
    spatial = {"@id": FRANCE, "@type": "dct:Location"}
    if box is not None:
        spatial["locn:geometry"] = _bbox_wkt(box)
    home = request.build_absolute_uri("/")
    publisher = {"@type": "foaf:Organization", "foaf:name": "ssemap", "foaf:homepage": home}
    directory = {
        "@id": home + "#initiatives",
        "@type": "dcat:Dataset",
        "dct:identifier": "ssemap-initiatives",
        "dct:title": _("Social and solidarity economy and low-tech initiatives"),
        "dct:description": _(
            "Published initiatives of the directory: what they do, their themes, commune and "
            "point on the map, how to reach them; the source and licence of each record."
        ),
        "dct:modified": modified,
        "dct:license": licences.url_of(licence),
        "dct:spatial": spatial,
        "dct:publisher": publisher,
        "dcat:keyword": ["ESS", "économie sociale et solidaire", "low-tech", "tiers-lieux"],
        "dcat:distribution": [
            _distribution(_url(request, "initiatives:export-csv"), "CSV", "text/csv", licence),
            _distribution(
                _url(request, "initiatives:export-geojson"),
                "GeoJSON",
                "application/geo+json",
                licence,
            ),
            _distribution(
                _url(request, "exchange:gogocarto-elements"),
                "JSON (GoGoCarto)",
                "application/json",
                licence,
            ),
        ],
    }
    structures = {
        "@id": home + "#data-inclusion",
        "@type": "dcat:Dataset",
        "dct:identifier": "ssemap-data-inclusion",
        "dct:title": _("Initiatives as data·inclusion structures"),
        "dct:description": _(
            "The published initiatives in the data·inclusion schema of structures, less those "
            "under a share-alike licence."
        ),
        "dct:modified": modified,
        "dct:license": licences.url_of(licences.DEFAULT),
        "dct:spatial": spatial,
        "dct:publisher": publisher,
        "dcat:distribution": [
            _distribution(
                _url(request, "exchange:datainclusion-structures"),
                "data·inclusion (JSON)",
                "application/json",
                licences.DEFAULT,
            )
        ],
    }
    return {
        "@context": DCAT_CONTEXT,
        "@id": _url(request, "exchange:catalog"),
        "@type": "dcat:Catalog",
        "dct:title": "ssemap",
        "dct:description": _("The directory and map of SSE and low-tech initiatives in France."),
        "dct:language": get_language() or "fr",
        "dct:modified": modified,
        "dct:license": licences.url_of(licences.DEFAULT),
        "dct:publisher": publisher,
        "foaf:homepage": home,
        "dcat:dataset": [directory, structures],
    }


def initiative_thing(initiative, request):
    """schema.org ``Organization`` and ``Place`` of an initiative page."""
    thing = {
        "@context": "https://schema.org",
        "@type": ["Organization", "Place"],
        "@id": request.build_absolute_uri(initiative.get_absolute_url()),
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
        "name": initiative.name,
        "description": initiative.summary,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": initiative.address or None,
            "addressLocality": initiative.commune.name,
            "postalCode": (initiative.commune.postcodes.split() or [None])[0],
            "addressCountry": "FR",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": round(initiative.latitude, 6),
            "longitude": round(initiative.longitude, 6),
        },
        "areaServed": [
            {"@type": "AdministrativeArea", "name": area.name, "identifier": area.code}
            for area in ([*initiative.areas_served.all()] or [initiative.commune])
        ],
        "knowsAbout": [theme.name for theme in initiative.themes.all()],
        "sameAs": initiative.website or None,
        "telephone": initiative.contact_phone or None,
        "foundingDate": str(initiative.year_started) if initiative.year_started else None,
        "legalName": initiative.organisation or None,
        "license": licences.url_of(initiative.licence),
    }
    thing["address"] = {k: v for k, v in thing["address"].items() if v is not None}
    return {k: v for k, v in thing.items() if v is not None}


def site_dataset(request):
    """schema.org ``Dataset`` of the about page: the directory, its downloads and licence."""
    published = Initiative.objects.published()
    licence = licences.selection_licence(published)
    downloads = [
        ("initiatives:export-csv", "text/csv"),
        ("initiatives:export-geojson", "application/geo+json"),
        ("exchange:gogocarto-elements", "application/json"),
        ("exchange:datainclusion-structures", "application/json"),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": _("Social and solidarity economy and low-tech initiatives"),
        "description": _(
            "The directory of SSE and low-tech initiatives in French territories: what they do, "
            "where, how to reach them, with the source and licence of each record."
        ),
        "url": request.build_absolute_uri(reverse("about")),
        "license": licences.url_of(licence),
        "isAccessibleForFree": True,
        "inLanguage": get_language() or "fr",
        "dateModified": caching.last_modified(request).isoformat(),
        "spatialCoverage": {"@type": "Place", "name": "France"},
        "creator": {"@type": "Organization", "name": "ssemap"},
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": _url(request, name)}
            for name, media in downloads
        ],
        "includedInDataCatalog": {"@type": "DataCatalog", "url": _url(request, "exchange:catalog")},
    }
