#!/usr/bin/env python
"""Alert digests at scale: ``send_digests`` over many subscriptions, then a second run (which
must queue nothing), and the Atom feed of a view uncached and cached.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssemap_bench_10k \\
        bench/alerts_digests.py --subscriptions 2000

Runs in this process on the database named by DATABASE_URL (a bench database of
bench/build_db.sh): the subscriptions it creates (addresses @bench.invalid), the publication
dates it moves and the mail it queued are undone at the end. Mail is queued in the database
task queue as in production (TASK_BACKEND=database); nothing is sent.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssemap.settings")
os.environ.setdefault("TASK_BACKEND", "database")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from alerts.digests import send_digests  # noqa: E402
from alerts.models import Subscription  # noqa: E402
from initiatives.models import Initiative, Theme  # noqa: E402
from territories.models import Kind, Territory  # noqa: E402

FEEDS = [
    "/alerts/feed.atom?theme=alimentation",
    "/alerts/feed.atom?territory=bretagne&low_tech=1",
]


def views(count, rng):
    """Queries of the kind people follow: a department or region, often with a theme."""
    themes = list(Theme.objects.values_list("slug", flat=True))
    places = list(
        Territory.objects.filter(kind__in=[Kind.REGION, Kind.DEPARTMENT]).values_list(
            "slug", flat=True
        )
    )
    queries = []
    for _ in range(count):
        parts = [f"territory={rng.choice(places)}"]
        if rng.random() < 0.7:
            parts.append(f"theme={rng.choice(themes)}")
        if rng.random() < 0.2:
            parts.append("low_tech=1")
        queries.append("&".join(sorted(parts)))
    return queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=2000)
    parser.add_argument("--new", type=int, default=300, help="initiatives published this week")
    args = parser.parse_args()
    rng = random.Random(14)
    now = timezone.now()
    published = Initiative.objects.published()
    print(f"published initiatives: {published.count()}")
    dates = list(published.values_list("pk", "published_at"))
    try:
        recent = list(published.order_by("?").values_list("pk", flat=True)[: args.new])
        published.exclude(pk__in=recent).update(published_at=now - timedelta(days=60))
        published.filter(pk__in=recent).update(published_at=now - timedelta(days=2))
        Subscription.objects.bulk_create(
            Subscription(
                email=f"reader{n}@bench.invalid",
                query=query,
                language="fr",
                confirmed_at=now - timedelta(days=30),
                digest_since=now - timedelta(days=7, hours=1),
            )
            for n, query in enumerate(views(args.subscriptions, rng))
        )
        queued_before = DBTaskResult.objects.count()

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            sent = send_digests()
            first = time.perf_counter() - started
        print(
            f"send_digests, {args.subscriptions} due: {sent} digests queued in {first:.2f} s "
            f"({first / args.subscriptions * 1000:.1f} ms and "
            f"{len(queries) / args.subscriptions:.1f} queries per subscription)"
        )
        assert DBTaskResult.objects.count() - queued_before == sent
        started = time.perf_counter()
        again = send_digests()
        print(f"second run: {again} queued in {time.perf_counter() - started:.2f} s")
        assert again == 0

        client = Client(HTTP_HOST="127.0.0.1")
        for url in FEEDS:
            for label in ("uncached", "cached"):
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                print(f"{url} {label}: {response.status_code} in {elapsed:.0f} ms")
    finally:
        Subscription.objects.filter(email__endswith="@bench.invalid").delete()
        new_tasks = DBTaskResult.objects.filter(args_kwargs__args__2__0__endswith="@bench.invalid")
        print(f"(cleaned up: {new_tasks.delete()[0]} queued mails, the subscriptions, the dates)")
        Initiative.objects.bulk_update(
            [Initiative(pk=pk, published_at=at) for pk, at in dates], ["published_at"], 1000
        )


if __name__ == "__main__":
    main()
