#!/usr/bin/env python
"""Duplicate hints at scale: the time of one uncached /api/duplicates/ answer, and of the
curators' per-row search, next to a static file served by the same gunicorn (issue 10, item 4:
≤ 100 ms at 100,000 initiatives).

    bench/duplicates.py --serve ssemap_bench_100k          # starts bench/serve.sh itself
    bench/duplicates.py --base-url http://127.0.0.1:8203   # a server already running

Every request asks a different name (so the cache never answers), around communes of different
density (Lyon, Villeurbanne, Plouhinec…); the rate limit is lifted for the run
(DUPLICATE_HINT_RATE_LIMIT). Then, in this process on the same database, ``duplicates_of`` for
pending-like rows as the review queue calls it. Prints p50/p95/max in milliseconds.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

from common import ROOT, fetch, load_average, wait_until_up

NAMES = [
    "Repair café", "Atelier vélo", "Épicerie solidaire", "Jardin partagé des pentes",
    "Ressourcerie", "AMAP des Canuts", "Recyclerie du quartier", "Fablab", "Tiers-lieu",
    "Café associatif", "Monnaie locale", "Habitat participatif", "Friperie solidaire",
    "Boutique sans argent", "Garage solidaire", "Accorderie", "Bricothèque", "Zéro déchet",
]  # fmt: skip
COMMUNES = ["69123", "69266", "69259", "29197", "75056", "13055", "33063", "59350"]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(label, seconds):
    ms = [s * 1000 for s in seconds]
    print(
        f"| {label} | {len(ms)} | {statistics.median(ms):.1f} | {percentile(ms, 0.95):.1f}"
        f" | {max(ms):.1f} |"
    )


def http(base_url, count):
    timings = []
    for n in range(count):
        name = f"{NAMES[n % len(NAMES)]} {n}"
        query = urllib.parse.urlencode({"name": name, "commune": COMMUNES[n % len(COMMUNES)]})
        status, _, _, seconds = fetch(f"{base_url}/api/duplicates/?{query}")
        if status != 200:
            sys.exit(f"/api/duplicates/ answered {status}")
        timings.append(seconds)
    static = [fetch(f"{base_url}/static/css/ssemap.css")[3] for _ in range(count)]
    return timings, static


def in_process(database, count):
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssemap.settings")
    import django

    django.setup()
    from initiatives.duplicates import duplicates_of
    from initiatives.models import Initiative

    rows = list(
        Initiative.objects.filter(commune__code__in=COMMUNES).select_related("commune")[:count]
    )
    timings = []
    for initiative in rows:
        started = time.perf_counter()
        duplicates_of(initiative)
        timings.append(time.perf_counter() - started)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", metavar="DB", help="start bench/serve.sh on this database")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--port", type=int, default=8230)
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument(
        "--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    base_url = args.base_url or f"http://127.0.0.1:{args.port}"
    server = None
    if args.serve:
        env = {**os.environ, "BENCH_PORT": str(args.port), "DUPLICATE_HINT_RATE_LIMIT": "1000000"}
        server = subprocess.Popen([str(ROOT / "bench/serve.sh"), args.serve, "600"], env=env)
        if not wait_until_up(base_url + "/healthz", 120):
            server.terminate()
            sys.exit("the server did not start")
    try:
        print(f"load average before: {load_average()}")
        print("| what | n | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |")
        hints, static = http(base_url, args.requests)
        summary("/api/duplicates/ (uncached, distinct names)", hints)
        summary("static file, same server", static)
        if args.serve:
            curation = in_process(f"{args.pg_url}/{args.serve}", args.requests)
            summary("duplicates_of() per review-queue row (in process)", curation)
        print(f"load average after: {load_average()}")
    finally:
        if server:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
