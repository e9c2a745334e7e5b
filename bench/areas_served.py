"""What the territory filter's "serving" option costs: the directory with and without it.

Gives a share of the published initiatives areas served (an EPCI or a department near them),
then times, uncached (CACHE_BACKEND=dummy), the directory of a region, a department, an EPCI
and a commune with and without ``serving=1``, and the count the option shows.

    DATABASE_URL=postgres://…/ssemap_areas CACHE_BACKEND=dummy \\
        .venv/bin/python bench/areas_served.py [--share 0.02] [--runs 5]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssemap.settings")

import django  # noqa: E402

django.setup()

from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402

from initiatives.directory import Directory  # noqa: E402
from initiatives.filters import InitiativeFilterSet  # noqa: E402
from initiatives.models import Initiative  # noqa: E402
from territories.models import Territory  # noqa: E402


def give_areas(share, seed=12):
    """Areas served for ``share`` of the published initiatives lacking any (their EPCI or
    department); returns how many initiatives have areas."""
    rng = random.Random(seed)
    through = Initiative.areas_served.through
    published = Initiative.objects.published()
    have = set(through.objects.values_list("initiative_id", flat=True).distinct())
    wanted = int(published.count() * share) - len(have)
    if wanted > 0:
        rows = list(
            published.exclude(pk__in=have)
            .filter(epci__isnull=False)
            .values_list("pk", "epci_id", "department_id")
        )
        links = [
            through(initiative_id=pk, territory_id=rng.choice([epci, department]))
            for pk, epci, department in rng.sample(rows, min(wanted, len(rows)))
        ]
        through.objects.bulk_create(links, batch_size=1000)
    return through.objects.values("initiative_id").distinct().count()


def timed(client, url, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with_areas = give_areas(args.share)
    published = Initiative.objects.published().count()
    print(f"{published} published initiatives, {with_areas} with areas served")
    busiest = Initiative.objects.published().values_list("commune", flat=True).order_by("commune")
    commune = Territory.objects.get(pk=max(set(busiest), key=list(busiest).count))
    places = {
        "region": commune.region,
        "department": commune.department,
        "epci": commune.epci,
        "commune": commune,
    }
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'territory':<40} {'without ms':>10} {'serving ms':>10} {'added':>6}")
    for kind, territory in places.items():
        url = f"/initiatives/?territory={territory.slug}"
        without = timed(client, url, args.runs)
        serving = timed(client, url + "&serving=1", args.runs)
        added = Directory(InitiativeFilterSet(QueryDict(url.split("?")[1])), "/").serving_option()
        name = f"{kind}: {territory.name}"
        print(f"{name:<40} {without:>10.1f} {serving:>10.1f} {added.count:>6}")


if __name__ == "__main__":
    main()
