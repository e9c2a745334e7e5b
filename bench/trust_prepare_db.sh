#!/usr/bin/env bash
# Create and fill DATABASE (migrate + bootstrap: territories, reference data, demo and 500
# sample initiatives) if it does not exist yet. Used by the bench/trust_* scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-ssemap_trust}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
if ! psql -At "$PG_URL/postgres" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql -q "$PG_URL/postgres" -c "CREATE DATABASE $DB"
fi
DATABASE_URL=$PG_URL/$DB .venv/bin/python manage.py migrate --no-input -v0
if [ "$(psql -At "$PG_URL/$DB" -c 'SELECT count(*) FROM initiatives_initiative')" = "0" ]; then
  DATABASE_URL=$PG_URL/$DB .venv/bin/python manage.py bootstrap
fi
