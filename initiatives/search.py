"""Full-text search of initiatives: PostgreSQL's full text, and SQLite's FTS5.

On PostgreSQL, ``search_vector`` is a weighted document kept by a trigger (migration 0003)
and indexed with GIN; the query is parsed as a web search (quotes, ``-word``, ``or``) with the
``french_unaccent`` configuration (migration 0002). On SQLite (``make run``), the FTS5 table
``initiatives_search`` (migration 0008, kept by triggers, case and accents folded) answers:
every word must begin a word of the text (``répar`` finds « réparation »), ``-word`` excludes,
``or`` joins alternatives. Both annotate a ``rank`` to order by (higher is better).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import CharField, F, FloatField, Func, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from ssemap.text import fold

SEARCH_CONFIG = "french_unaccent"  # created by migration initiatives/0002 on PostgreSQL
FTS_TABLE = "initiatives_search"  # created by migration initiatives/0008 on SQLite
# bm25 weights of the FTS5 columns: name, summary, organisation, description, commune.
FTS_WEIGHTS = "10.0, 4.0, 4.0, 1.0, 4.0"


def search(queryset, text):
    """The initiatives of ``queryset`` matching ``text``, each with a ``rank``."""
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, text)
    return _search_sqlite(queryset, text)


def _search_postgresql(queryset, text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def fts_query(text):
    """``text`` as an FTS5 query: each word a quoted prefix, ``-word`` a NOT, ``or`` an OR.

    Quoting every word means no input is FTS5 syntax (``NEAR``, ``*``, ``:``, quotes), so no
    input can make the query fail; an empty string means there is nothing to search for.
    """
    groups, excluded, pending_or = [], [], False
    for raw in text.split():
        if raw.lower() == "or" and groups:
            pending_or = True
            continue
        negative = raw.startswith("-") and len(raw) > 1
        word = raw.lstrip("-") if negative else raw
        # Punctuation on its own (a lone "&", "—") is no word: FTS5 would find nothing.
        if not any(ch.isalnum() for ch in word):
            continue
        term = '"' + word.replace('"', '""') + '"*'
        if negative:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        return ""
    query = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    for term in excluded:
        query += f" NOT {term}"
    return query


def _search_sqlite(queryset, text):
    query = fts_query(fold_for_fts(text))
    if not query:
        # Punctuation alone matches nothing; the results keep a rank, which relevance sorts on.
        found = queryset.none() if text.strip() else queryset
        return found.annotate(rank=Value(0.0, output_field=FloatField()))
    table = queryset.model._meta.db_table
    matches = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query])
    # bm25 is lower for better matches: its opposite orders like PostgreSQL's rank.
    rank = RawSQL(
        f"SELECT -bm25({FTS_TABLE}, {FTS_WEIGHTS}) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id",
        [query],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=matches).annotate(rank=rank)


def fold_for_fts(text):
    """Ligatures and apostrophes that FTS5's tokenizer does not fold (« œuvre », « l’atelier »)."""
    return fold(text).replace("\u2019", " ").replace("'", " ")


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


def _register_fold(conn):
    """Make ``ssemap_fold`` available on this SQLite connection (idempotent, cheap)."""
    conn.ensure_connection()
    conn.connection.create_function("ssemap_fold", 1, fold, deterministic=True)
