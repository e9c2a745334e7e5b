"""Caching keyed on the query and on the data's last change, and the HTTP validators from it.

The data version is the single ``DataVersion`` row that database triggers bump on any write to
initiatives, their links, reference data or territories (migration 0003) — whatever made the
write: admin, bulk action, ``QuerySet.update()``, import. Reading it is one primary-key lookup
per request, and every cache key and ETag includes it, so a publish shows at once, in every
worker, with any cache backend (per-process LocMem included), and nothing stale is served.
"""

import hashlib
import json
import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from .models import DataVersion

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
    _local.in_request, _local.version = True, None


def _request_finished(**kwargs):
    _local.in_request, _local.version = False, None


def _data_written(**kwargs):
    _local.version = None


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


def request_data_version(request):
    """The data version for ``request`` (read once per request)."""
    return current_data_version()


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


def cached(prefix, parts, compute, *, request=None, timeout=CACHE_SECONDS):
    """``compute()``, cached under ``prefix`` + ``parts`` + the data version + the language."""
    version = current_data_version()[0]
    key = cache_key(prefix, version, get_language() or "", *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def etag(request, key):
    """ETag of an answer that depends on the path, ``key`` (validated values), the language,
    the host (absolute links) and the data."""
    version = request_data_version(request)[0]
    text = "\x1f".join((version, get_language() or "", request.get_host(), request.path, key))
    # Weak: the gzip and identity encodings of one answer share it.
    digest = hashlib.sha256(text.encode()).hexdigest()[:40]
    return f'W/"{digest}"'


def last_modified(request):
    return request_data_version(request)[1]


def revalidate(response):
    """Cache-Control for data that must never be stale: store it, but ask each time (304s)."""
    response["Cache-Control"] = "public, no-cache"
    return response
