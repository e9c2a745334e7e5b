"""PostgreSQL's narrow copy of what the facets count, on the initiative row itself.

An initiative's themes, practices and levers as arrays of ids, and its commune's size class
(``Memberships``, initiatives/models/memberships.py), also held in the map grid's covering
index. Why: where a filter other than the territory applies, the tallies cannot answer, and
each facet used to be one grouped query over the matching initiatives, joined with a link
table or with the communes — at a million rows, seconds per directory view (issue 11). With
the copy, a theme or size-class filter reads no link table and no commune, and every facet
of a filtered view is counted in one index-only pass (``facet_counts``); the map's coarse
clusters for any filters, too.

Kept by triggers, like the tallies, so every write path keeps it: a BEFORE trigger
recomputes a row's copy on each insert and update (a save from Django writes back the value
it read, possibly stale: the trigger overrides it), a change of links or of a commune's size
class touches the rows concerned. SQLite (``make run``) keeps no copy: the columns stay NULL
there and the queries go through the link tables, as ``stored`` decides.
"""

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, OrderBy

from .tallies import TRANSITIONS

# Many-to-many field → the array column that copies it.
ARRAYS = {"themes": "theme_ids", "practices": "practice_ids", "levers": "lever_ids"}
# Facet → what it counts in the copy: an array of ids, or a column.
FACET_SOURCES = {
    "theme": ("array", "theme_ids"),
    "practice": ("array", "practice_ids"),
    "lever": ("array", "lever_ids"),
    "legal_form": ("column", "legal_form_id"),
    "size_class": ("column", "size_class"),
    "low_tech": ("flag", "low_tech"),
    "total": ("flag", None),
}
# Facet → the field it counts without the copy (``InitiativeQuerySet.count_by``, SQLite).
COUNTED_BY = {
    "theme": "themes",
    "practice": "practices",
    "lever": "levers",
    "legal_form": "legal_form",
    "size_class": "commune__size_class",
}
TABLE = "initiatives_initiative"
COMMUNES = "territories_territory"


def stored(queryset):
    """Whether the database of ``queryset`` keeps the copy (PostgreSQL)."""
    return connections[queryset.db].vendor == "postgresql"


def facet_counts(queryset, facets):
    """``{facet: {value: n}}`` among the rows of ``queryset``, in one pass (PostgreSQL).

    ``facets`` are names of ``FACET_SOURCES``; values come back as the tallies give them
    (ids as ints, size classes as codes, ``""`` for ``low_tech`` and ``total``). The rows are
    read once, through the covering index when the filters allow, and grouped by each
    facet's column in one ``GROUPING SETS`` pass: an array groups whole (the rows have a few
    dozen distinct sets of themes), and each set's ids are counted here. Unnesting every
    row's arrays in SQL (a few values per row, then a hash of them) took 60 % more time.
    """
    return facet_counts_and_first(queryset, facets, 0)[0]


def facet_counts_and_first(queryset, facets, first):
    """``(facet_counts(queryset, facets), pks)``: with them, in the same pass, the pks of the
    ``first`` rows in the order of ``queryset`` (PostgreSQL).

    For an order that no index gives, a full-text search's relevance: its facets and its
    first page each read every match, a random read of the heap that no index can answer
    (66,000 matches on 48,000 pages for a common word at 1M, issue 11). Here the matches are
    read once into a materialized CTE, grouped for the facets, and their ``first`` best are
    kept from it: 190 ms instead of 140 + 87 ms at 1M.
    """
    counts = {facet: {} for facet in facets}
    sources = [(facet, *FACET_SOURCES[facet]) for facet in facets]
    columns = [column for _, _, column in sources if column]
    keys = _order_keys(queryset) if first else []
    inner = queryset.order_by().values(
        "pk", *columns, **{f"_o{i}": key.expression for i, key in enumerate(keys)}
    )
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing (``pk__in=[]``): no SQL
        return counts, []
    # The rows are first counted per combination of all the facets' values, in one hash,
    # and the grouping sets then sum those few combinations: each grouping set over the rows
    # themselves cost a hash of every row (a common word at 1M: 66,476 matches in 1,292
    # combinations, 190 -> 167 ms). The counts are the same.
    listed = "".join(f"r.{column}, " for column in columns)
    by_combination = f"GROUP BY {listed[:-2]}" if columns else ""

    def combinations(rows):
        return f"(SELECT {listed}COUNT(*) AS n FROM {rows} r {by_combination}) c"

    sets = [f"(c.{column})" for column in columns] + ["()"]
    select = f"{''.join(f'c.{c}, GROUPING(c.{c}), ' for c in columns)}SUM(c.n)::bigint"
    grouped = f"GROUP BY GROUPING SETS ({', '.join(sets)})"
    if first:
        order = ", ".join(_order_sql(f"r._o{i}", key) for i, key in enumerate(keys))
        # The () set always gives one row, so the pks come back even with no match.
        query = (
            f"WITH r AS MATERIALIZED ({sql}) SELECT {select}, "
            f"ARRAY(SELECT r.pk FROM r ORDER BY {order} LIMIT {int(first)}) "
            f"FROM {combinations('r')} {grouped}"
        )
    else:
        query = f"SELECT {select} FROM {combinations(f'({sql})')} {grouped}"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    pks = list(rows[0][-1]) if first and rows else []
    if first:
        rows = [row[:-1] for row in rows]
    for row in rows:
        n = row[-1]
        if not n:  # the total of no rows
            continue
        # The column this row is grouped by (GROUPING() = 0), or none: the total.
        grouped = {column: row[2 * i] for i, column in enumerate(columns) if row[2 * i + 1] == 0}
        for facet, kind, column in sources:
            if (column not in grouped) if column else grouped:
                continue
            value = grouped.get(column)
            if kind == "array":
                values = value or ()
            elif kind == "column":
                values = () if value in (None, "") else (value,)
            else:  # a flag: its rows where it is true, or the total
                values = ("",) if (value if column else True) else ()
            for value in values:
                counts[facet][value] = counts[facet].get(value, 0) + n
    return counts, pks


def _order_keys(queryset):
    """The ``order_by()`` of ``queryset`` as ``OrderBy`` expressions (names, ``-names`` or
    expressions, as Django takes them)."""
    if not queryset.query.order_by:
        raise ValueError("the first rows of an unordered queryset are no particular rows")
    keys = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            item = F(item[1:]).desc() if item.startswith("-") else F(item).asc()
        elif not isinstance(item, OrderBy):
            item = item.asc()
        keys.append(item)
    return keys


def _order_sql(column, key):
    """``column`` sorted as ``key`` sorts (direction and nulls, as Django writes them)."""
    sql = f"{column} {'DESC' if key.descending else 'ASC'}"
    if key.nulls_first:
        sql += " NULLS FIRST"
    elif key.nulls_last:
        sql += " NULLS LAST"
    return sql


# -- PostgreSQL: the triggers (migration 0019) ----------------------------------------------------


def _links():
    """``(link table, array column, column of the linked object)`` per copied field."""
    for name, array in ARRAYS.items():
        field = apps.get_model("initiatives", "Initiative")._meta.get_field(name)
        through = field.remote_field.through._meta
        target = through.get_field(field.m2m_reverse_field_name()).column
        yield through.db_table, array, target


def postgresql_statements():
    """``CREATE`` statements of the functions and triggers (idempotent)."""
    copies = "\n".join(
        f"    NEW.{array} := ARRAY(SELECT {target} FROM {table} "
        f"WHERE initiative_id = NEW.id ORDER BY 1);"
        for table, array, target in _links()
    )
    statements = [
        f"""CREATE OR REPLACE FUNCTION ssemap_memberships() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
{copies}
    NEW.size_class := COALESCE(
        (SELECT size_class FROM {COMMUNES} WHERE id = NEW.commune_id), '');
    RETURN NEW;
END
$$""",
        f"DROP TRIGGER IF EXISTS ssemap_memberships ON {TABLE}",
        f"CREATE TRIGGER ssemap_memberships BEFORE INSERT OR UPDATE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION ssemap_memberships()",
        # A change of links touches its initiatives: the BEFORE trigger above then copies
        # them again (the column set does not matter, it recomputes all of them).
        f"""CREATE OR REPLACE FUNCTION ssemap_memberships_links() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE {TABLE} SET size_class = size_class
        WHERE id IN (SELECT initiative_id FROM old_rows);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE {TABLE} SET size_class = size_class
        WHERE id IN (SELECT initiative_id FROM new_rows);
    END IF;
    RETURN NULL;
END
$$""",
        # A commune whose size class changes (load_territories) touches its initiatives.
        f"""CREATE OR REPLACE FUNCTION ssemap_memberships_size() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET size_class = size_class WHERE commune_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.size_class IS DISTINCT FROM o.size_class);
    RETURN NULL;
END
$$""",
        f"DROP TRIGGER IF EXISTS ssemap_memberships_size ON {COMMUNES}",
        f"CREATE TRIGGER ssemap_memberships_size AFTER UPDATE ON {COMMUNES} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION ssemap_memberships_size()",
    ]
    for table, _, _ in _links():
        for operation, transition in TRANSITIONS.items():
            name = f"ssemap_memberships_{operation}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {transition.format(t=table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ssemap_memberships_links()"
            )
    return statements


def postgresql_drop_statements():
    statements = [
        f"DROP TRIGGER IF EXISTS ssemap_memberships ON {TABLE}",
        f"DROP TRIGGER IF EXISTS ssemap_memberships_size ON {COMMUNES}",
    ]
    for table, _, _ in _links():
        for operation in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS ssemap_memberships_{operation} ON {table}")
    for function in ("", "_links", "_size"):
        statements.append(f"DROP FUNCTION IF EXISTS ssemap_memberships{function}()")
    return statements


def refresh(connection):
    """Copy every initiative's memberships again, in one set-based statement that writes only
    the rows whose copy differs: after the triggers are created (migration 0019), or after a
    load that ran without them (``bulk.loading``), where a row-by-row touch of a million
    initiatives would rewrite every one of them."""
    aggregates, columns, joins = [], [], []
    for number, (table, array, target) in enumerate(_links()):
        aggregates.append(
            f"l{number} AS (SELECT initiative_id, array_agg({target} ORDER BY {target})::integer[] AS ids "
            f"FROM {table} GROUP BY initiative_id)"
        )
        columns.append((array, f"COALESCE(l{number}.ids, '{{}}')"))
        joins.append(f"LEFT JOIN l{number} ON l{number}.initiative_id = x.id")
    columns.append(("size_class", "COALESCE(c.size_class, '')"))
    joins.append(f"LEFT JOIN {COMMUNES} c ON c.id = x.commune_id")
    names = ", ".join(name for name, _ in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(aggregates)} "
            f"UPDATE {TABLE} i SET {', '.join(f'{name} = w.{name}' for name, _ in columns)} "
            f"FROM (SELECT x.id, {', '.join(f'{value} AS {name}' for name, value in columns)} "
            f"FROM {TABLE} x {' '.join(joins)}) w "
            f"WHERE w.id = i.id AND (i.{names.replace(', ', ', i.')}) "
            f"IS DISTINCT FROM (w.{names.replace(', ', ', w.')})"
        )
