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

from django.db import connection as default_connection

from .models import Initiative

TABLE = "initiatives_facettally"
TERRITORY_COLUMNS = ("region_id", "department_id", "epci_id", "commune_id")
# Facet name → the many-to-many field whose link table it counts.
LINK_FACETS = {
    "theme": "themes",
    "practice": "practices",
    "lever": "levers",
    "quality": "low_tech_qualities",
}


def _links():
    """``(facet, link table, column of the linked object)`` for each link facet."""
    for facet, name in LINK_FACETS.items():
        field = Initiative._meta.get_field(name)
        through = field.remote_field.through._meta
        target = through.get_field(field.m2m_reverse_field_name()).column
        yield facet, through.db_table, target


def _row_facets(p):
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
    for facet, table, column in _links():
        facets.append(
            (facet, f"CAST(l.{column} AS TEXT)", f"{table} l", f"l.initiative_id = {p}.id", None)
        )
    return facets


def _territories(p):
    return ", ".join(f"{p}.{column} AS {column}" for column in TERRITORY_COLUMNS)


def facet_rows(p, table=None):
    """One row per (published row, facet value), with the row's territories: the rows of
    ``table`` as ``p`` or, without a table, the one row ``p`` of a SQLite row trigger
    (``NEW`` or ``OLD``, which no FROM may name)."""
    selects = []
    for facet, value, joined, on, condition in _row_facets(p):
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


def add(rows, sign):
    """The upsert adding ``sign`` per row of ``rows`` to each territory of its chain and 0."""
    territory = (
        "CASE s.slot WHEN 0 THEN 0 WHEN 1 THEN r.region_id WHEN 2 THEN r.department_id "
        "WHEN 3 THEN r.epci_id ELSE r.commune_id END"
    )
    slots = "SELECT 0 AS slot UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
    # A subtraction only ever meets rows its addition made: where there is none (the tallies
    # emptied before the initiatives, as SQLite's flush does), it makes no row of -1.
    existing = (
        f" AND EXISTS (SELECT 1 FROM {TABLE} x WHERE x.territory_id = g.t "
        "AND x.facet = g.facet AND x.value = g.value)"
        if sign < 0
        else ""
    )
    return (
        f"INSERT INTO {TABLE} (territory_id, facet, value, n) "
        f"SELECT t, facet, value, n FROM (SELECT t, facet, value, {sign} * COUNT(*) AS n FROM ("
        f"SELECT {territory} AS t, r.facet AS facet, r.value AS value "
        f"FROM ({rows}) r CROSS JOIN ({slots}) s) k "
        "WHERE t IS NOT NULL GROUP BY t, facet, value) g "
        f"WHERE true{existing} "
        f"ON CONFLICT (territory_id, facet, value) DO UPDATE SET n = {TABLE}.n + excluded.n"
    )


def rebuild(connection=default_connection):
    """Recount everything from the tables (after a load that bypassed the triggers)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(add(facet_rows("p", "initiatives_initiative"), 1))


# -- PostgreSQL: statement triggers ---------------------------------------------------------------


def _changed(rows, others):
    """The rows of ``rows`` whose counted columns differ in ``others`` (or that have no twin
    there): an update that changes nothing counted — a confirmation, an edited description,
    the memberships' copy — then costs the tallies nothing."""
    counted = ("status", "low_tech", "legal_form_id", *TERRITORY_COLUMNS)
    mine = ", ".join(f"a.{column}" for column in counted)
    theirs = ", ".join(f"b.{column}" for column in counted)
    return (
        f"(SELECT a.* FROM {rows} a LEFT JOIN {others} b ON b.id = a.id "
        f"WHERE b.id IS NULL OR ({mine}) IS DISTINCT FROM ({theirs}))"
    )


def postgresql_statements():
    """``CREATE`` statements of the functions and triggers (migration 0011, idempotent)."""
    statements = [
        f"""CREATE OR REPLACE FUNCTION ssemap_tally_initiative() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {add(facet_rows("p", "old_rows"), -1)};
    ELSIF TG_OP = 'UPDATE' THEN
        {add(facet_rows("p", _changed("old_rows", "new_rows")), -1)};
        {add(facet_rows("p", _changed("new_rows", "old_rows")), 1)};
    ELSE
        {add(facet_rows("p", "new_rows"), 1)};
    END IF;
    RETURN NULL;
END
$$"""
    ]
    tables = [("initiatives_initiative", "ssemap_tally_initiative")]
    for facet, table, column in _links():
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
        tables.append((table, function))
    transitions = {
        "insert": "INSERT ON {t} REFERENCING NEW TABLE AS new_rows",
        "update": "UPDATE ON {t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "DELETE ON {t} REFERENCING OLD TABLE AS old_rows",
    }
    for table, function in tables:
        for operation, transition in transitions.items():
            name = f"ssemap_tally_{operation}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {transition.format(t=table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return statements


def postgresql_drop_statements():
    statements = []
    for table in ["initiatives_initiative"] + [table for _, table, _ in _links()]:
        for operation in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS ssemap_tally_{operation} ON {table}")
    functions = ["initiative"] + list(LINK_FACETS)
    statements += [f"DROP FUNCTION IF EXISTS ssemap_tally_{name}()" for name in functions]
    return statements


# -- SQLite: row triggers -------------------------------------------------------------------------


def sqlite_statements():
    """``CREATE TRIGGER IF NOT EXISTS`` statements (initiatives/triggers.py, after migrate)."""
    on = "initiatives_initiative"
    published = {"NEW": "NEW.status = 'published'", "OLD": "OLD.status = 'published'"}
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_insert AFTER INSERT ON {on} "
        f"WHEN {published['NEW']} BEGIN {add(facet_rows('NEW'), 1)}; END",
        f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_delete AFTER DELETE ON {on} "
        f"WHEN {published['OLD']} BEGIN {add(facet_rows('OLD'), -1)}; END",
        f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_update AFTER UPDATE ON {on} "
        f"WHEN {published['OLD']} OR {published['NEW']} BEGIN "
        f"{add(facet_rows('OLD'), -1)}; {add(facet_rows('NEW'), 1)}; END",
    ]
    for facet, table, column in _links():
        for operation, row, sign in (("insert", "NEW", 1), ("delete", "OLD", -1)):
            one = f"(SELECT {row}.initiative_id AS initiative_id, {row}.{column} AS {column})"
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS ssemap_tally_{table}_{operation} "
                f"AFTER {operation.upper()} ON {table} "
                f"BEGIN {add(link_rows(one, facet, column), sign)}; END"
            )
    return statements
