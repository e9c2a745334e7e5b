"""Full-text search of initiatives: PostgreSQL's full text, and a fallback for SQLite.

On PostgreSQL, ``search_vector`` is a weighted document kept by a trigger (migration 0003)
and indexed with GIN; the query is parsed as a web search (quotes, ``-word``, ``or``) with the
``french_unaccent`` configuration (migration 0002). On SQLite, every word must appear somewhere
in the text, ignoring case and accents. Both annotate a ``rank`` to order by.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, CharField, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.db.models.lookups import Contains

from ssemap.text import fold

SEARCH_CONFIG = "french_unaccent"  # created by migration initiatives/0002 on PostgreSQL
FALLBACK_FIELDS = ("name", "summary", "organisation", "description", "commune__name")


def search(queryset, text):
    """The initiatives of ``queryset`` matching ``text``, each with a ``rank``."""
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, text)
    return _search_fallback(queryset, text)


def _search_postgresql(queryset, text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def _search_fallback(queryset, text):
    _register_fold(connection)
    words = [fold(word) for word in text.split() if word.strip()]
    if not words:
        return queryset
    folded = {f: _Fold(f) for f in FALLBACK_FIELDS}
    for word in words:
        queryset = queryset.filter(_any_contains(folded.values(), word))
    first = words[0]
    rank = Case(
        When(_contains(folded["name"], first), then=Value(3)),
        When(
            _any_contains(
                (folded["summary"], folded["organisation"], folded["commune__name"]), first
            ),
            then=Value(2),
        ),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(rank=rank)


def name_sort_key():
    """The name in lower case without accents, so that « Épicerie » sorts among the E."""
    if connection.vendor == "postgresql":
        return Lower(Func(F("name"), function="unaccent", output_field=CharField()))
    _register_fold(connection)
    return _Fold(F("name"))


class _Fold(Func):
    """``ssemap_fold(field)``: lower case without accents, registered on SQLite connections."""

    function = "ssemap_fold"
    output_field = CharField()


def _contains(expression, word):
    return Q(Contains(expression, word))


def _any_contains(expressions, word):
    condition = Q()
    for expression in expressions:
        condition |= _contains(expression, word)
    return condition


def _register_fold(conn):
    """Make ``ssemap_fold`` available on this SQLite connection (idempotent, cheap)."""
    conn.ensure_connection()
    conn.connection.create_function("ssemap_fold", 1, fold, deterministic=True)
