#!/usr/bin/env python
""" "Open now" at scale: how long the directory's ``open_now`` filter takes, uncached.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssemap_freshness_bench bench/open_now.py 20000

Fills the database it is given (migrated here; its initiatives are replaced unless an earlier run built the same N) with N published
initiatives whose opening hours are drawn from 200 common texts plus one unique text in
twenty, then times, five times each, the count of ``open_at(now)`` and the uncached directory
page ``/initiatives/?open_now=1`` through Django's test client. Prints milliseconds.
"""

import os
import random
import statistics
import sys
import time

from common import ROOT

os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssemap.settings")
os.environ.setdefault("LOG_REQUESTS", "0")
import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from initiatives import hours  # noqa: E402
from initiatives.models import Initiative, Theme  # noqa: E402
from territories.models import Kind, Territory  # noqa: E402

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def common_texts(rng, count=200):
    texts = set()
    while len(texts) < count:
        first, last = sorted(rng.sample(range(7), 2))
        start, end = rng.choice([8, 9, 10]), rng.choice([17, 18, 19])
        lunch = rng.random() < 0.5
        hours_text = f"{start:02d}:00-12:00,14:00-{end}:00" if lunch else f"{start:02d}:00-{end}:00"
        extra = "; PH off" if rng.random() < 0.5 else ""
        texts.add(f"{DAYS[first]}-{DAYS[last]} {hours_text}{extra}")
    return sorted(texts)


def build(n):
    call_command("migrate", verbosity=0)
    if Initiative.objects.filter(slug__startswith="bench-").count() == n:
        return  # built by an earlier run
    # A raw delete: no per-row history or signals for rows of an earlier run.
    Initiative.objects.all()._raw_delete(Initiative.objects.db)
    region, _ = Territory.objects.get_or_create(
        kind=Kind.REGION, code="84", defaults={"name": "Auvergne-Rhône-Alpes", "slug": "ara"}
    )
    commune, _ = Territory.objects.get_or_create(
        kind=Kind.COMMUNE,
        code="69123",
        defaults={"name": "Lyon", "slug": "lyon", "region": region, "latitude": 45.76,
                  "longitude": 4.83},
    )  # fmt: skip
    theme, _ = Theme.objects.get_or_create(slug="bench", defaults={"name_fr": "Banc"})
    rng = random.Random(14)
    texts = common_texts(rng)
    now = timezone.now()
    rows = []
    for i in range(n):
        text = rng.choice(texts) if i % 20 else f"Mo-Fr 09:{i % 60:02d}-17:00"
        rows.append(
            Initiative(
                name=f"Initiative {i}", slug=f"bench-{i}", summary="Banc d'essai.",
                commune=commune, region=region, latitude=45.76, longitude=4.83,
                status="published", published_at=now, opening_hours=text,
            )
        )  # fmt: skip
    Initiative.objects.bulk_create(rows, batch_size=2000)


def timed(label, function, runs=5):
    values = []
    for _ in range(runs):
        cache.clear()
        hours.parse.cache_clear()
        start = time.perf_counter()
        result = function()
        values.append((time.perf_counter() - start) * 1000)
    print(
        f"{label}: median {statistics.median(values):.0f} ms, max {max(values):.0f} ms ({result})"
    )


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    build(n)
    print(
        f"{Initiative.objects.count()} initiatives, {Initiative.objects.values('opening_hours').distinct().count()} distinct hours texts"
    )
    slot = hours.current_slot()
    timed("open_at(now).count()", lambda: Initiative.objects.published().open_at(slot).count())
    client = Client(HTTP_HOST="localhost")
    timed(
        "GET /initiatives/?open_now=1 (uncached)",
        lambda: client.get("/initiatives/?open_now=1").status_code,
    )
    timed(
        "GET /initiatives/ (uncached, for comparison)",
        lambda: client.get("/initiatives/").status_code,
    )


if __name__ == "__main__":
    main()
