#!/usr/bin/env bash
# Build the benchmark databases: PostgreSQL, the real territories, reference data, the seed
# initiatives and generated sample initiatives.
#
#   bench/build_db.sh            # ssemap_bench_10k and ssemap_bench_100k (make bench-db: 1M too)
#   bench/build_db.sh 10000      # only ssemap_bench_10k
#
# PG_URL (default postgres://postgres@127.0.0.1:5432) names the server; each database is
# dropped and rebuilt. 100,000 initiatives take a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PYTHON=${PYTHON:-.venv/bin/python}
command -v psql >/dev/null || { echo "bench/build_db.sh needs psql (apt-get install postgresql-client)"; exit 1; }

label() { # 10000 -> 10k, 100000 -> 100k
    if (( $1 % 1000 == 0 )); then echo "$(( $1 / 1000 ))k"; else echo "$1"; fi
}

for count in "${@:-10000 100000}"; do
    for n in $count; do
        db="ssemap_bench_$(label "$n")"
        url="$PG_URL/$db"
        echo "== $db: $n sample initiatives"
        psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
        start=$SECONDS
        DATABASE_URL=$url $PYTHON manage.py migrate --no-input -v0
        DATABASE_URL=$url $PYTHON manage.py load_territories
        DATABASE_URL=$url $PYTHON manage.py load_reference
        DATABASE_URL=$url $PYTHON manage.py load_demo --samples "$n" --bulk
        DATABASE_URL=$url $PYTHON manage.py load_solutions
        # Fresh statistics and visibility map: index-only scans as in a settled production base.
        psql -q "$url" -c "VACUUM ANALYZE"
        psql -At "$url" -c "SELECT 'published initiatives: ' || count(*) FROM initiatives_initiative WHERE status = 'published'"
        echo "== $db built in $(( SECONDS - start )) s"
    done
done
