"""The SQL that keeps ``FacetTally`` (published initiatives per territory and facet value).

The counts every directory view, the home page and territory pages show used to be one grouped
query per facet over every matching initiative, joined with its link tables: at a million rows,
seconds each. Triggers now keep them as data changes (every write path — admin, imports,
``QuerySet.update()``, raw SQL — goes through them), and ``rebuild()`` recomputes them all at
once after a load that bypasses them.

A published row adds 1 to each (territory, facet, value) it has, for each territory of its
chain and for ``EVERYWHERE``; a change subtracts the row as it was and adds it as it is. Links
count when their initiative is published at the time of the write: Django deletes an
initiative's links before the initiative, so nothing is counted twice or missed.

PostgreSQL: statement triggers with transition tables (one upsert per statement, whatever the
number of rows), created by migration 0011. SQLite: row triggers, created after every migrate
by ``initiatives/triggers.py``.
"""

import functools

from django.apps import apps
from django.db import connection as default_connection

TABLE = "initiatives_facettally"
TERRITORY_COLUMNS = ("region_id", "department_id", "epci_id", "commune_id")
# Facet name → the many-to-many field whose link table it counts.
LINK_FACETS = {
    "theme": "themes",
    "practice": "practices",
    "lever": "levers",
    "quality": "low_tech_qualities",
}


# Links to initiatives that another app owns, counted the same way: facet → (app label, link
# model, its foreign key to the linked object). Registered by that app (AppConfig.ready()).
OTHER_LINKS = {}


def _links(tables=None):
    """``(facet, link table, column of the linked object)`` for each link facet: the other
    apps' among them when their table is in ``tables`` (all of them without ``tables``), so
    that a migration that runs before theirs writes no SQL naming a table yet to come."""
    for facet, name in LINK_FACETS.items():
        field = apps.get_model("initiatives", "Initiative")._meta.get_field(name)
        through = field.remote_field.through._meta
        target = through.get_field(field.m2m_reverse_field_name()).column
        yield facet, through.db_table, target
    for facet, (app_label, model_name, field_name) in OTHER_LINKS.items():
        link = apps.get_model(app_label, model_name)._meta
        if tables is None or link.db_table in tables:
            yield facet, link.db_table, link.get_field(field_name).column


def _row_facets(p, tables=None):
    """``(facet, value, joined table, join condition, condition)`` of a row ``p``."""
    facets = [
        ("total", "''", None, None, None),
        ("low_tech", "''", None, None, f"{p}.low_tech"),
        ("legal_form", f"CAST({p}.legal_form_id AS TEXT)", None, None, f"{p}.legal_form_id > 0"),
        (
            "size_class",
            "c.size_class",
            "territories_territory c",
            f"c.id = {p}.commune_id",
            "c.size_class <> ''",
        ),
        ("commune", f"CAST({p}.commune_id AS TEXT)", None, None, f"{p}.commune_id > 0"),
        ("department", f"CAST({p}.department_id AS TEXT)", None, None, f"{p}.department_id > 0"),
    ]
    for facet, table, column in _links(tables):
        facets.append(
            (facet, f"CAST(l.{column} AS TEXT)", f"{table} l", f"l.initiative_id = {p}.id", None)
        )
    return facets


def _territories(p):
    return ", ".join(f"{p}.{column} AS {column}" for column in TERRITORY_COLUMNS)


def facet_rows(p, table=None, tables=None):
    """One row per (published row, facet value), with the row's territories: the rows of
    ``table`` as ``p`` or, without a table, the one row ``p`` of a SQLite row trigger
    (``NEW`` or ``OLD``, which no FROM may name)."""
    selects = []
    for facet, value, joined, on, condition in _row_facets(p, tables):
        sql = f"SELECT {_territories(p)}, '{facet}' AS facet, {value} AS value"
        conditions = [f"{p}.status = 'published'"]
        if table:
            sql += f" FROM {table} {p}" + (f" JOIN {joined} ON {on}" if joined else "")
        elif joined:
            sql += f" FROM {joined}"
            conditions.append(on)
        if condition:
            conditions.append(condition)
        selects.append(f"{sql} WHERE {' AND '.join(conditions)}")
    return " UNION ALL ".join(selects)


def link_rows(links, facet, column):
    """One row per link of ``links`` to a published initiative, with its territories."""
    return (
        f"SELECT {_territories('p')}, '{facet}' AS facet, CAST(k.{column} AS TEXT) AS value "
        f"FROM {links} k JOIN initiatives_initiative p ON p.id = k.initiative_id "
        "WHERE p.status = 'published'"
    )


def add(rows, sign, table=TABLE, keys=("facet", "value"), levels=5, sets=True):
    """The upsert adding ``sign`` per row of ``rows`` to each territory of its chain and 0
    (the first ``levels`` of: everywhere, region, department, EPCI, commune).

    With ``sets`` (PostgreSQL), one ``GROUPING SETS`` pass counts every level: a recount
    of a million initiatives groups each row once per level in memory, where repeating
    every row once per level (the ``CROSS JOIN`` SQLite's one-row triggers use) took twice
    as long. The rows go in key order, so the tally's indexes fill page by page."""
    chain = ("region_id", "department_id", "epci_id", "commune_id")[: levels - 1]
    columns = ", ".join(keys)
    if sets:
        picked = ", ".join(f"r.{key}" for key in keys)
        territory = " ".join(f"WHEN GROUPING(r.{c}) = 0 THEN r.{c}" for c in chain)
        groups = ", ".join([f"({picked})", *(f"(r.{c}, {picked})" for c in chain)])
        counted = (
            f"SELECT CASE {territory} ELSE 0 END AS t, {picked}, {sign} * COUNT(*) AS n "
            f"FROM ({rows}) r GROUP BY GROUPING SETS ({groups})"
        )
    else:
        territory = " ".join(f"WHEN {i} THEN r.{c}" for i, c in enumerate(chain, 1))
        slots = " UNION ALL ".join(["SELECT 0 AS slot", *(f"SELECT {i}" for i in range(1, levels))])
        picked = ", ".join(f"r.{key} AS {key}" for key in keys)
        counted = (
            f"SELECT t, {columns}, {sign} * COUNT(*) AS n FROM ("
            f"SELECT CASE s.slot WHEN 0 THEN 0 {territory} END AS t, {picked} "
            f"FROM ({rows}) r CROSS JOIN ({slots}) s) k GROUP BY t, {columns}"
        )
    # A subtraction only ever meets rows its addition made: where there is none (the tallies
    # emptied before the initiatives, as SQLite's flush does), it makes no row of -1.
    same = " ".join(f"AND x.{key} = g.{key}" for key in keys)
    existing = (
        f" AND EXISTS (SELECT 1 FROM {table} x WHERE x.territory_id = g.t {same})"
        if sign < 0
        else ""
    )
    return (
        f"INSERT INTO {table} (territory_id, {columns}, n) "
        f"SELECT t, {columns}, n FROM ({counted}) g "
        f"WHERE t IS NOT NULL{existing}{f' ORDER BY t, {columns}' if sets else ''} "
        f"ON CONFLICT (territory_id, {columns}) DO UPDATE SET n = {table}.n + excluded.n"
    )


def rebuild(connection=default_connection, parts=("facets", "pairs", "cells", "filtered")):
    """Recount everything from the tables (after a load that bypassed the triggers), or the
    ``parts`` named (a migration that adds one: at a million rows, each takes minutes)."""
    tables = set(connection.introspection.table_names())
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if "facets" in parts:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(
                add(facet_rows("p", "initiatives_initiative", tables), 1, sets=postgresql)
            )
        if "pairs" in parts and postgresql and PAIRS in tables:
            cursor.execute(f"DELETE FROM {PAIRS}")
            cursor.execute(add_pairs("initiatives_initiative", 1))
        if "cells" in parts and postgresql and CELLS in tables:
            cursor.execute(f"DELETE FROM {CELLS}")
            cursor.execute(add_cells("initiatives_initiative", 1))
        if "filtered" in parts and postgresql and FILTERED in tables:
            cursor.execute(f"DELETE FROM {FILTERED}")
            cursor.execute(add_filtered_cells("initiatives_initiative", 1))


# -- PostgreSQL: pair tallies ---------------------------------------------------------------------

PAIRS = "initiatives_pairtally"
# The facets a pair tally is given (a filter with one value) and those it counts.
PAIR_GIVEN = ("theme", "practice", "lever", "legal_form", "size_class", "low_tech")
# The memberships' copy the pairs are read from, and the other counted columns.
PAIR_COLUMNS = (
    "status",
    "low_tech",
    "legal_form_id",
    *TERRITORY_COLUMNS,
    "theme_ids",
    "practice_ids",
    "lever_ids",
    "size_class",
)


def _values(r):
    """``(facet, value)`` of each facet value of the row ``r``, from its memberships' copy."""
    return (
        f"SELECT 'theme' AS f, CAST(unnest({r}.theme_ids) AS TEXT) AS v "
        f"UNION ALL SELECT 'practice', CAST(unnest({r}.practice_ids) AS TEXT) "
        f"UNION ALL SELECT 'lever', CAST(unnest({r}.lever_ids) AS TEXT) "
        f"UNION ALL SELECT 'legal_form', CAST({r}.legal_form_id AS TEXT) "
        f"WHERE {r}.legal_form_id IS NOT NULL "
        f"UNION ALL SELECT 'size_class', {r}.size_class WHERE {r}.size_class <> '' "
        f"UNION ALL SELECT 'low_tech', '' WHERE {r}.low_tech "
        "UNION ALL SELECT 'total', ''"
    )


def pair_rows(rows):
    """One row per (published row of ``rows``, given value, counted value of another facet),
    with the row's territories: ``given`` is ``facet:value``, as ``PairTally`` keys it."""
    given = ", ".join(f"'{facet}'" for facet in PAIR_GIVEN)
    return (
        f"SELECT {_territories('p')}, g.f || ':' || g.v AS given, c.f AS facet, c.v AS value "
        f"FROM {rows} p CROSS JOIN LATERAL ({_values('p')}) g "
        f"CROSS JOIN LATERAL ({_values('p')}) c "
        f"WHERE p.status = 'published' AND g.f IN ({given}) AND c.f <> g.f"
    )


def add_pairs(rows, sign):
    """The upsert of the pairs of ``rows`` to everywhere, region, department and EPCI (a
    commune's initiatives are few: counting them is cheap)."""
    return add(pair_rows(rows), sign, PAIRS, ("given", "facet", "value"), levels=4)


# -- PostgreSQL: map cell tallies ---------------------------------------------------------------

CELLS = "initiatives_celltally"
# The coarse grids shared by every area (up to mapdata.WHOLE_GRID_MAX_LEVEL, 11), and two
# more for a city's unfiltered map (zoom 10 and 11): at a million initiatives, grouping a
# metropolis's entries took 300 ms; their cells are a few hundred tally rows.
CELL_LEVELS = 13
CELL_COLUMNS = ("status", "tile_x", "tile_y", "latitude", "longitude")
# The same cells once more per combination of the filters a map of France is most often drawn
# with (``FilteredCellTally``): a map filtered by them alone sums a few thousand tally rows
# where it grouped every matching initiative (at a million, 700 ms for 5 themes and 2 size
# classes). Tally column → its value on an initiative row; up to level 10 (a region's map,
# zoom 8): past it the combinations of a cell are nearly its initiatives.
FILTERED = "initiatives_filteredcelltally"
FILTERED_KEYS = {
    "theme_ids": "COALESCE({r}.theme_ids, '{{}}')",
    "size_class": "COALESCE({r}.size_class, '')",
    "low_tech": "{r}.low_tech",
    "legal_form": "COALESCE({r}.legal_form_id, 0)",
}
FILTERED_LEVELS = 10
FILTERED_COLUMNS = (*CELL_COLUMNS, "theme_ids", "size_class", "low_tech", "legal_form_id")


def _cells_of(rows, levels=CELL_LEVELS, keys=()):
    """``(level, cell_x, cell_y, keys…, row)`` of each published row of ``rows`` at each level
    up to ``levels``; ``keys`` are names of ``FILTERED_KEYS``."""
    picked = "".join(f"{FILTERED_KEYS[key].format(r='r')} AS k_{key}, " for key in keys)
    return (
        "SELECT g.level, r.tile_x >> (24 - g.level) AS cell_x, "
        f"r.tile_y >> (24 - g.level) AS cell_y, {picked}r.* "
        f"FROM {rows} r CROSS JOIN generate_series(0, {levels}) g(level) "
        "WHERE r.status = 'published'"
    )


def add_cells(rows, sign, table=CELLS, keys=(), levels=CELL_LEVELS):
    """The upsert of ``rows`` into their cells (of ``table``, also keyed by ``keys``); a
    subtraction then recomputes, from the table (its new state, in an AFTER trigger), the box
    of the cells it took an edge point from."""
    box = "MIN(c.longitude), MIN(c.latitude), MAX(c.longitude), MAX(c.latitude)"
    key_columns = "".join(f"{key}, " for key in keys)
    key_values = "".join(f"c.k_{key}, " for key in keys)
    conflict = ", ".join(("level", "cell_x", "cell_y", *keys))
    upsert = (
        f"INSERT INTO {table} AS t (level, cell_x, cell_y, {key_columns}n, sum_lat, sum_lon, "
        "sum_id, west, south, east, north) "
        f"SELECT c.level, c.cell_x, c.cell_y, {key_values}{sign} * COUNT(*), "
        f"{sign} * SUM(c.latitude), {sign} * SUM(c.longitude), {sign} * SUM(c.id), "
        f"{box if sign > 0 else 'NULL, NULL, NULL, NULL'} "
        f"FROM ({_cells_of(rows, levels, keys)}) c "
        f"GROUP BY c.level, c.cell_x, c.cell_y{''.join(f', c.k_{key}' for key in keys)} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET n = t.n + excluded.n, "
        "sum_lat = t.sum_lat + excluded.sum_lat, sum_lon = t.sum_lon + excluded.sum_lon, "
        "sum_id = t.sum_id + excluded.sum_id"
    )
    if sign > 0:
        return (
            f"{upsert}, west = LEAST(t.west, excluded.west), south = LEAST(t.south, "
            "excluded.south), east = GREATEST(t.east, excluded.east), "
            "north = GREATEST(t.north, excluded.north)"
        )
    span = "(1 << (24 - t.level))"
    same_keys = "".join(f"AND {FILTERED_KEYS[key].format(r='i')} = t.{key} " for key in keys)
    same_cell = "".join(f"AND t.{key} = c.k_{key} " for key in keys)
    recompute = (
        f"UPDATE {table} t SET (west, south, east, north) = ("
        "SELECT MIN(i.longitude), MIN(i.latitude), MAX(i.longitude), MAX(i.latitude) "
        "FROM initiatives_initiative i WHERE i.status = 'published' "
        f"AND i.tile_x BETWEEN t.cell_x * {span} AND (t.cell_x + 1) * {span} - 1 "
        f"AND i.tile_y BETWEEN t.cell_y * {span} AND (t.cell_y + 1) * {span} - 1 {same_keys}) "
        f"FROM ({_cells_of(rows, levels, keys)}) c "
        f"WHERE t.level = c.level AND t.cell_x = c.cell_x AND t.cell_y = c.cell_y {same_cell}"
        "AND (c.longitude <= t.west OR c.longitude >= t.east "
        "OR c.latitude <= t.south OR c.latitude >= t.north)"
    )
    return f"{upsert}; {recompute}"


def add_filtered_cells(rows, sign):
    """``add_cells`` for ``FilteredCellTally``."""
    return add_cells(rows, sign, FILTERED, tuple(FILTERED_KEYS), FILTERED_LEVELS)


# -- PostgreSQL: statement triggers ---------------------------------------------------------------

# A statement trigger's event on table ``t``, with the transition tables its SQL reads.
TRANSITIONS = {
    "insert": "INSERT ON {t} REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON {t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON {t} REFERENCING OLD TABLE AS old_rows",
}


def _changed(rows, others, counted=("status", "low_tech", "legal_form_id", *TERRITORY_COLUMNS)):
    """The rows of ``rows`` whose ``counted`` columns differ in ``others`` (or that have no
    twin there): an update that changes nothing counted — a confirmation, an edited
    description — then costs the tallies nothing."""
    mine = ", ".join(f"a.{column}" for column in counted)
    theirs = ", ".join(f"b.{column}" for column in counted)
    return (
        f"(SELECT a.* FROM {rows} a LEFT JOIN {others} b ON b.id = a.id "
        f"WHERE b.id IS NULL OR ({mine}) IS DISTINCT FROM ({theirs}))"
    )


def postgresql_statements(connection):
    """``CREATE`` statements of the functions and triggers (idempotent), for the tables the
    database has: a migration that runs before the pair tallies (0020) or another app's link
    table (``OTHER_LINKS``) writes no SQL naming them, and theirs create the triggers again."""
    tables = set(connection.introspection.table_names())
    pairs, cells, filtered = PAIRS in tables, CELLS in tables, FILTERED in tables
    statements = [
        f"""CREATE OR REPLACE FUNCTION ssemap_tally_initiative() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {add(facet_rows("p", "old_rows", tables), -1)};
        {add_pairs("old_rows", -1) if pairs else "NULL"};
        {add_cells("old_rows", -1) if cells else "NULL"};
        {add_filtered_cells("old_rows", -1) if filtered else "NULL"};
    ELSIF TG_OP = 'UPDATE' THEN
        {add(facet_rows("p", _changed("old_rows", "new_rows"), tables), -1)};
        {add(facet_rows("p", _changed("new_rows", "old_rows"), tables), 1)};
        {add_pairs(_changed("old_rows", "new_rows", PAIR_COLUMNS), -1) if pairs else "NULL"};
        {add_pairs(_changed("new_rows", "old_rows", PAIR_COLUMNS), 1) if pairs else "NULL"};
        {add_cells(_changed("old_rows", "new_rows", CELL_COLUMNS), -1) if cells else "NULL"};
        {add_cells(_changed("new_rows", "old_rows", CELL_COLUMNS), 1) if cells else "NULL"};
        {add_filtered_cells(_changed("old_rows", "new_rows", FILTERED_COLUMNS), -1) if filtered else "NULL"};
        {add_filtered_cells(_changed("new_rows", "old_rows", FILTERED_COLUMNS), 1) if filtered else "NULL"};
    ELSE
        {add(facet_rows("p", "new_rows", tables), 1)};
        {add_pairs("new_rows", 1) if pairs else "NULL"};
        {add_cells("new_rows", 1) if cells else "NULL"};
        {add_filtered_cells("new_rows", 1) if filtered else "NULL"};
    END IF;
    RETURN NULL;
END
$$"""
    ]
    watched = [("initiatives_initiative", "ssemap_tally_initiative")]
    for facet, table, column in _links(tables):
        function = f"ssemap_tally_{facet}"
        statements.append(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {add(link_rows("old_rows", facet, column), -1)};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {add(link_rows("new_rows", facet, column), 1)};
    END IF;
    RETURN NULL;
END
$$"""
        )
        watched.append((table, function))
    for table, function in watched:
        for operation, transition in TRANSITIONS.items():
            name = f"ssemap_tally_{operation}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {transition.format(t=table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return statements


def create_triggers(schema_editor, recount=()):
    """A migration's step on PostgreSQL: the functions and triggers for the tables the
    database has, then a recount of the ``recount`` parts of ``rebuild``. (SQLite's come after
    migrate: initiatives/triggers.py.)"""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in postgresql_statements(schema_editor.connection):
        schema_editor.execute(statement)
    if recount:
        rebuild(schema_editor.connection, parts=recount)


def postgresql_drop_statements(connection):
    statements = []
    tables = set(connection.introspection.table_names())
    for table in ["initiatives_initiative"] + [table for _, table, _ in _links(tables)]:
        for operation in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS ssemap_tally_{operation} ON {table}")
    functions = ["initiative", *LINK_FACETS, *OTHER_LINKS]
    statements += [f"DROP FUNCTION IF EXISTS ssemap_tally_{name}()" for name in functions]
    return statements


# -- SQLite: row triggers -------------------------------------------------------------------------


def sqlite_statements(connection):
    """``CREATE TRIGGER IF NOT EXISTS`` statements (initiatives/triggers.py, after migrate)."""
    on = "initiatives_initiative"
    add_one = functools.partial(add, sets=False)  # one row: SQLite has no GROUPING SETS
    tables = set(connection.introspection.table_names())
    published = {"NEW": "NEW.status = 'published'", "OLD": "OLD.status = 'published'"}
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_insert AFTER INSERT ON {on} "
        f"WHEN {published['NEW']} BEGIN {add_one(facet_rows('NEW', tables=tables), 1)}; END",
        f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_delete AFTER DELETE ON {on} "
        f"WHEN {published['OLD']} BEGIN {add_one(facet_rows('OLD', tables=tables), -1)}; END",
        f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_update AFTER UPDATE ON {on} "
        f"WHEN {published['OLD']} OR {published['NEW']} BEGIN "
        f"{add_one(facet_rows('OLD', tables=tables), -1)}; {add_one(facet_rows('NEW', tables=tables), 1)}; END",
    ]
    for facet, table, column in _links(tables):
        for operation, row, sign in (("insert", "NEW", 1), ("delete", "OLD", -1)):
            one = f"(SELECT {row}.initiative_id AS initiative_id, {row}.{column} AS {column})"
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_{table}_{operation} "
                f"AFTER {operation.upper()} ON {table} "
                f"BEGIN {add_one(link_rows(one, facet, column), sign)}; END"
            )
    return statements
