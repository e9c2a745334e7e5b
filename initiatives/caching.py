"""Caching keyed on the query and on the data's last change, and the HTTP validators from it.

The data version is the single ``DataVersion`` row that database triggers bump on any write to
*public* data: a published initiative (before or after the write) or its links, reference
data, territories (migrations 0003, 0006) — whatever made the write: admin, bulk action,
``QuerySet.update()``, import. Writes to unpublished initiatives bump nothing. Reading it is
one primary-key lookup per request, and every cache key and ETag includes it, so a publish
shows at once, in every worker, with any cache backend (per-process LocMem included), and
nothing stale is served.

Answers that show one part of the data key on that part's versions instead (``ScopeVersion``):
the territory filtered on, or the map squares of the area asked for, plus ``ref`` (reference
data). A publish in Finistère then leaves the cache of Lyon's map, directory and territory
page in place.
"""

import hashlib
import json
import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from .geo import world_x, world_y
from .models import DataVersion, ScopeVersion

CACHE_SECONDS = 60 * 60


def data_version():
    """``(token, changed_at)`` of the public data, read from the database.

    The token joins the counter and the time of the change, so a counter that starts again
    (an emptied table, a restored database) never repeats an earlier token.
    """
    row = DataVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    if row is None:
        return "0", None
    version, changed_at = row
    return f"{version}.{int(changed_at.timestamp() * 1_000_000)}", changed_at


# Within a request, the version is read once (per thread) and kept until the request ends or
# something is written through the ORM; outside requests it is read every time.
_local = threading.local()


def _request_started(**kwargs):
    _local.in_request, _local.version, _local.scoped = True, None, {}


def _request_finished(**kwargs):
    _local.in_request, _local.version, _local.scoped = False, None, {}


def _data_written(**kwargs):
    _local.version, _local.scoped = None, {}


def connect_receivers():
    """Follow requests and writes (from ``InitiativesConfig.ready()``, before any request)."""
    request_started.connect(_request_started, dispatch_uid="ssemap-data-version-start")
    request_finished.connect(_request_finished, dispatch_uid="ssemap-data-version-finish")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_data_written, dispatch_uid=f"ssemap-data-version-{id(signal)}")


def current_data_version():
    """The data version, read once per request."""
    if not getattr(_local, "in_request", False):
        return data_version()
    if _local.version is None:
        _local.version = data_version()
    return _local.version


# -- scopes: the parts of the data an answer shows ----------------------------------------------

REFERENCE_SCOPE = "ref"
# Map squares are Web Mercator tiles at this zoom (about 110 km across in France): the triggers
# take them from the stored grid position (migration 0006: tile_x >> 16 at GRID_ZOOM 24).
SCOPE_ZOOM = 8
# An area covering more squares than this keys on the global version (few keys to read).
MAX_SCOPE_SQUARES = 64


def territory_scope(territory):
    return f"t:{territory.pk}"


def served_scopes(territory):
    """The scopes of the initiatives that serve ``territory`` (the filter's ``serving``
    option): ``s:`` of it and of its containers, bumped by changes of areas served that lie
    in it, are it or contain it (migration 0013)."""
    ids = (territory.pk, territory.region_id, territory.department_id, territory.epci_id)
    return [f"s:{pk}" for pk in ids if pk]


def area_scopes(bbox, margin=0.0):
    """The map squares covering ``bbox`` widened by ``margin`` (a fraction of the world's
    width), or None when there are too many of them."""
    size = 2**SCOPE_ZOOM
    west, south, east, north = bbox
    x0, x1 = world_x(west) - margin, world_x(east) + margin
    y0, y1 = world_y(north) - margin, world_y(south) + margin
    xs = range(max(int(x0 * size), 0), min(int(x1 * size), size - 1) + 1)
    ys = range(max(int(y0 * size), 0), min(int(y1 * size), size - 1) + 1)
    if len(xs) * len(ys) > MAX_SCOPE_SQUARES:
        return None
    return [f"g:{x}:{y}" for x in xs for y in ys]


def filter_scopes(filterset, margin=0.0, without=()):
    """The scopes a valid FilterSet's results lie in, or None for all of the data.

    Results inside a territory change only with writes in it; results inside an area only with
    writes in its squares (``margin`` widens it, for clusters whose cells straddle its edge).
    """
    cleaned = filterset.form.cleaned_data
    if cleaned.get("territory") and "territory" not in without:
        # The served scopes always: the option's count shows even when it is off.
        territory = cleaned["territory"]
        return [territory_scope(territory), *served_scopes(territory)]
    if cleaned.get("bbox") and "bbox" not in without:
        return area_scopes(cleaned["bbox"], margin)
    return None


def scoped_version(scopes):
    """``(token, changed_at)`` of the reference data and ``scopes``; read once per request."""
    return scoped_versions([scopes])[0]


def scoped_versions(groups):
    """``scoped_version`` of each list of scopes of ``groups``, read in one query (a page
    comparing 30 territories read their versions one query each)."""
    keys = [tuple(sorted({REFERENCE_SCOPE, *scopes})) for scopes in groups]
    in_request = getattr(_local, "in_request", False)
    memo = getattr(_local, "scoped", None) if in_request else None
    # The memo holds each scope's row (a string key: its (version, changed_at), or None when
    # it has none) and each group's token (a tuple key): a page asking for the reference
    # data, then for it and a territory, reads the reference scope once.
    known = memo if memo is not None else {}
    missing = {key for key in keys if key not in known}
    unread = {scope for key in missing for scope in key if scope not in known}
    if unread:
        rows = ScopeVersion.objects.filter(scope__in=unread).values_list(
            "scope", "version", "changed_at"
        )
        found = {scope: (version, changed) for scope, version, changed in rows}
        known.update({scope: found.get(scope) for scope in unread})
    for key in missing:
        here = sorted((scope, *known[scope]) for scope in key if known[scope] is not None)
        # Counters and times, so a counter that starts again never repeats an earlier token.
        text = "|".join(
            f"{scope}={version}.{int(changed.timestamp() * 1_000_000)}"
            for scope, version, changed in here
        )
        token = "s" + hashlib.sha256(text.encode()).hexdigest()[:24]
        known[key] = (token, max((row[2] for row in here), default=None))
    return [known[key] for key in keys]


def version_for(scopes=None):
    """The version of ``scopes`` (a list; ``None`` means all of the public data)."""
    return current_data_version() if scopes is None else scoped_version(scopes)


def _canonical(value):
    """A JSON-ready form of one validated value, the same for every way of asking for it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "_fields"):  # a named tuple (BBox): its order is its meaning
        return [_canonical(v) for v in value]
    if isinstance(value, (QuerySet, list, tuple, set, frozenset)):
        # Several values of one filter match any of them: their order and repetitions do not
        # change the results.
        values = {json.dumps(_canonical(v), sort_keys=True) for v in value}
        return [json.loads(v) for v in sorted(values)]
    # Anything else is named by its type, so no two kinds of value can share a text.
    return [type(value).__name__, str(value)]


def filter_key(filterset, exclude=()):
    """The canonical text of a *valid* FilterSet's cleaned values, less ``exclude``.

    Cache keys and ETags are built from it: parameters the FilterSet does not know never reach
    a key, and JSON keeps values apart whatever characters they hold (``&``, ``=``, commas),
    so no crafted query can share an entry with another view.
    """
    cleaned = filterset.form.cleaned_data
    data = {name: _canonical(value) for name, value in cleaned.items() if name not in exclude}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def raw_filter_key(filterset, exclude=()):
    """The values given to the FilterSet's own fields, as given (for what renders raw input)."""
    params = filterset.data
    data = {
        name: params.getlist(name)
        for name in filterset.form.fields
        if name not in exclude and name in params
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(prefix, version, *parts):
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"ssemap:{prefix}:{version}:{digest}"


# Small values read by most pages (the reference lists), also kept in each process: their key
# holds their version, read once per request, so every process drops them with the shared
# cache. A page then reads them neither from the shared cache nor, cache off, from the
# database (5 queries on a directory view). Never to be changed by their readers.
_IN_PROCESS = {}
IN_PROCESS_ENTRIES = 64


def clear_in_process():
    """Forget what this process keeps (the tests start each one afresh)."""
    _IN_PROCESS.clear()


def cached(
    prefix, parts, compute, *, request=None, scopes=None, timeout=CACHE_SECONDS, in_process=False
):
    """``compute()``, cached under ``prefix`` + ``parts`` + the language + the version of the
    data it shows (``scopes``, see ``filter_scopes``; all of the public data by default);
    ``in_process``: kept in this process too."""
    version = version_for(scopes)[0]
    key = cache_key(prefix, version, get_language() or "", *parts)
    if in_process and key in _IN_PROCESS:
        return _IN_PROCESS[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    if in_process:
        if len(_IN_PROCESS) >= IN_PROCESS_ENTRIES:  # older versions' entries: start again
            _IN_PROCESS.clear()
        _IN_PROCESS[key] = value
    return value


def cached_by_result(prefix, parts, compute, scopes_of, *, timeout=CACHE_SECONDS):
    """``compute()``, cached until a write in the scopes its own result lies in.

    For answers whose extent is known only once computed: the "nearby" list of an initiative
    depends on the circle out to its farthest item, small in a city, wide in the countryside.
    ``scopes_of(result)`` names them (None: all of the public data). The entry keeps their
    version and is used while it has not moved; a write anywhere during ``compute()`` leaves
    nothing cached, so no answer older than its version is ever stored.
    """
    key = cache_key(prefix, get_language() or "", *parts)
    entry = cache.get(key)
    if entry is not None and version_for(entry[0])[0] == entry[1]:
        return entry[2]
    before = data_version()[0]
    value = compute()
    scopes = scopes_of(value)
    version = version_for(scopes)[0]
    if data_version()[0] == before:
        cache.set(key, (scopes, version, value), timeout)
    return value


def etag(request, key, scopes=None):
    """ETag of an answer that depends on the path, ``key`` (validated values), the language,
    the host (absolute links) and the data of ``scopes``."""
    version = version_for(scopes)[0]
    text = "\x1f".join((version, get_language() or "", request.get_host(), request.path, key))
    # Weak: the gzip and identity encodings of one answer share it.
    digest = hashlib.sha256(text.encode()).hexdigest()[:40]
    return f'W/"{digest}"'


def last_modified(request, scopes=None):
    return version_for(scopes)[1]


def revalidate(response):
    """Cache-Control for data that must never be stale: store it, but ask each time (304s)."""
    response["Cache-Control"] = "public, no-cache"
    return response
