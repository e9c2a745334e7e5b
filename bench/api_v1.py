"""The API v1's answer times in-process (Django's test client: no network, no gunicorn), on a
benchmark database: first answer (empty cache), cached answer, and revalidation (304).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/api_v1.py

Build the database with bench/build_db.sh (or the same steps under another name). The rate
limit is lifted for the run: it counts in the database and would stop it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssemap.settings")
os.environ.setdefault("API_RATE_LIMIT", "100000000")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

URLS = [
    "/api/v1/initiatives/",
    "/api/v1/initiatives/?page_size=200",
    "/api/v1/initiatives/?page=40",
    "/api/v1/initiatives/?theme=alimentation&theme=mobilite&sort=name",
    "/api/v1/initiatives/?territory=metropole-de-lyon",
    "/api/v1/initiatives/?q=repair%20cafe",
    "/api/v1/initiatives/?near=69123&sort=distance",
    "/api/v1/territories/?kind=commune&page=100",
    "/api/v1/territories/metropole-de-lyon/",
    "/api/v1/themes/",
    "/api/v1/levers/",
]
REPEAT = 9


def timed(client, url, **headers):
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    return (time.perf_counter() - start) * 1000, response


def main():
    client = Client(HTTP_HOST="localhost")
    client.get("/api/v1/themes/")  # connection and translations, apart
    print(f"{'URL':72} {'cold ms':>8} {'warm p50':>9} {'304 p50':>8} {'KB':>6}")
    for url in URLS:
        cache.clear()
        cold, response = timed(client, url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        warm = [timed(client, url)[0] for _ in range(REPEAT)]
        etag = response["ETag"]
        revalidated = [timed(client, url, if_none_match=etag) for _ in range(REPEAT)]
        assert all(r.status_code == 304 for _, r in revalidated)
        print(
            f"{url:72} {cold:8.1f} {statistics.median(warm):9.1f} "
            f"{statistics.median(ms for ms, _ in revalidated):8.1f} "
            f"{len(response.content) / 1024:6.1f}"
        )


if __name__ == "__main__":
    main()
