"""Time the exchange's importer (issue 13: 10,000 rows preview in ≤ 10 s, commit in ≤ 30 s).

    DATABASE_URL=postgres://…/DB .venv/bin/python bench/import_exchange.py [ROWS] [--format F]

DB must hold the territories, the reference data and some initiatives (bench/build_db.sh, or
`manage.py migrate load_territories load_reference load_demo`). The script writes ROWS
data·inclusion structures (or GoGoCarto elements), a third placed by postcode and name rather
than INSEE code, times the reading and preview (``importer.plan``) and the commit
(``importer.commit``) with their SQL queries, wall and CPU time, then rolls the commit back.
"""

import argparse
import json
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

from exchange import importer  # noqa: E402
from exchange.formats import read  # noqa: E402
from territories.models import Territory  # noqa: E402

KINDS = ["Épicerie solidaire", "Repair café", "Jardin partagé", "Recyclerie", "Tiers-lieu",
         "Atelier vélo", "Café associatif", "Ressourcerie", "AMAP", "Fablab"]  # fmt: skip
WORDS = ["des Possibles", "du Quartier", "Les Mains Vertes", "La Bricole", "Le Chaudron",
         "L'Envol", "Terre Commune", "La Navette", "Coop'Actions", "Le Lien"]  # fmt: skip
THEMES = ["alimentation--aide-alimentaire", "Réemploi", "mobilite--etre-mobile", "Culture",
          "emploi--trouver-un-emploi"]  # fmt: skip


def structures(rows):
    communes = list(
        Territory.objects.communes()
        .exclude(postcodes="")
        .values_list("code", "name", "postcodes", "latitude", "longitude")[:3000]
    )
    items = []
    for n in range(rows):
        code, name, postcodes, lat, lon = communes[n % len(communes)]
        item = {
            "source": "bench",
            "id": f"bench--{n}",
            "nom": f"{KINDS[n % 10]} {WORDS[(n // 10) % 10]} n°{n}",
            "date_maj": "2026-10-01",
            "description": "Un lieu ouvert à toutes et tous, animé par des bénévoles du quartier.",
            "commune": name,
            "adresse": f"{n % 90 + 1} rue de la République",
            "latitude": lat,
            "longitude": lon,
            "courriel": f"contact{n}@example.org",
            "site_web": f"https://example.org/{n}",
            "thematiques": [THEMES[n % len(THEMES)]],
        }
        if n % 3:
            item["code_insee"] = code
        else:
            item["code_postal"] = postcodes.split()[0]
        items.append(item)
    return json.dumps(items, ensure_ascii=False).encode()


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return result, wall, cpu, len(queries)


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=10_000)
    args = parser.parse_args()
    content = structures(args.rows)
    print(f"{args.rows} structures, {len(content) / 1e6:.1f} MB, {connection.vendor}")

    def preview():
        records, errors, licence = read("data-inclusion", content)
        return importer.plan(records, format="data-inclusion", source_name="bench", licence=licence)

    plan, wall, cpu, queries = timed(preview)
    print(f"preview: {wall:6.1f} s wall, {cpu:6.1f} s CPU, {queries} queries — "
          f"{importer.summary_text(plan)}")  # fmt: skip
    try:
        with transaction.atomic():
            run, wall, cpu, queries = timed(lambda: importer.commit(plan))
            print(f"commit:  {wall:6.1f} s wall, {cpu:6.1f} s CPU, {queries} queries, "
                  f"{run.created} created")  # fmt: skip
            raise Rollback
    except Rollback:
        print("rolled back: the database is unchanged")
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
