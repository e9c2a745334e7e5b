"""Time the curators' CSV import (issue 10: 10,000 rows preview in ≤ 10 s, commit in ≤ 30 s).

    DATABASE_URL=postgres://…/DB .venv/bin/python bench/import_csv.py [ROWS]

DB must hold the territories and the reference data (bench/build_db.sh builds such databases;
`manage.py migrate && manage.py load_territories && manage.py loaddata reference` is enough).
The script writes ROWS new initiatives as a CSV in the export's columns, times ``parse`` (the
preview) and ``apply`` (the commit) with the number of SQL queries of each, then rolls the
commit back: the database is left as it was. Pass ``--max-rows`` to lift the import's row limit.
"""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssemap.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from exchange import csv_commit, csv_import  # noqa: E402
from initiatives.exports import EXPORT_COLUMNS  # noqa: E402
from initiatives.models import Theme  # noqa: E402
from territories.models import Territory  # noqa: E402


class Rollback(Exception):
    pass


def csv_content(rows):
    communes = list(Territory.objects.communes().values_list("code", flat=True)[:2000])
    themes = list(Theme.objects.values_list("slug", flat=True)[:3])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for n in range(rows):
        writer.writerow(
            {
                "name": f"Initiative importée {n}",
                "summary": "Un atelier de réparation ouvert à tous.",
                "themes": "|".join(themes[: 1 + n % len(themes)]),
                "commune_code": communes[n % len(communes)],
                "low_tech": "1" if n % 2 else "0",
                "website": f"https://example.org/{n}",
            }
        )
    return out.getvalue().encode()


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        seconds = time.perf_counter() - start
    print(f"  ({time.process_time() - cpu:.1f} s CPU in this process)")
    return result, seconds, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=10_000)
    parser.add_argument("--max-rows", action="store_true", help="lift csv_import.MAX_ROWS")
    args = parser.parse_args()
    if args.max_rows:
        csv_import.MAX_ROWS = max(csv_import.MAX_ROWS, args.rows)
    content = csv_content(args.rows)
    print(f"{args.rows} rows, {len(content) / 1e6:.1f} MB, {connection.vendor}")
    plan, seconds, queries = timed(lambda: csv_import.parse(content))
    print(f"preview: {seconds:6.1f} s, {queries} queries, ok={plan.ok} {plan.file_errors[:1]}")
    if not plan.ok:
        return
    try:
        with transaction.atomic():
            (created, _), seconds, queries = timed(lambda: csv_commit.apply(plan, by=None))
            print(f"commit:  {seconds:6.1f} s, {queries} queries, {created} created")
            raise Rollback
    except Rollback:
        print("rolled back: the database is unchanged")
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
