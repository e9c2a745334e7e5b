#!/usr/bin/env bash
# Serve ssemap the way production does, for the benchmark: gunicorn, SSEMAP_ENV=production,
# DEBUG off, a generated SECRET_KEY, hashed and compressed static files served by whitenoise.
#
#   bench/serve.sh [DATABASE] [SECONDS]     # default ssemap_bench_100k, 1200 s
#
# Plain HTTP on loopback (127.0.0.1:$BENCH_PORT, default 8203), so SECURE_SSL_REDIRECT=0.
# Stops by itself after SECONDS (or on Ctrl-C). Static files are collected into a temporary
# STATIC_ROOT under bench/.work/. Tunables: BENCH_WORKERS (2), BENCH_THREADS (4), PG_URL,
# CACHE_BACKEND / CACHE_LOCATION (default here: a file cache shared by the workers, see
# bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${1:-ssemap_bench_100k}
DURATION=${2:-1200}
PORT=${BENCH_PORT:-8203}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
WORK=bench/.work/$PORT
BIN=.venv/bin
mkdir -p "$WORK"

export SSEMAP_ENV=production DEBUG=0 SECURE_SSL_REDIRECT=0
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY
SECRET_KEY=$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(64))')
export DATABASE_URL=$PG_URL/$DB
export STATIC_ROOT=$PWD/$WORK/static
# A cache shared by the workers (files on local disk), emptied at each start; CACHE_BACKEND=
# locmem measures the per-process default instead, redis (CACHE_LOCATION=redis://…) the
# shared cache of several app servers, dummy no cache at all (bench/run.py --cache off).
export CACHE_BACKEND=${CACHE_BACKEND:-file}
export CACHE_LOCATION=${CACHE_LOCATION:-$PWD/$WORK/cache}
rm -rf "$PWD/$WORK/cache"

$BIN/python manage.py collectstatic --no-input -v0
# Production logs one JSON line per request: kept, but written to a file, not the terminal.
echo "serving $DB on http://127.0.0.1:$PORT for $DURATION s (logs in $WORK/)"
exec timeout --signal=TERM --kill-after=10 "$DURATION" $BIN/gunicorn ssemap.wsgi \
    --bind "127.0.0.1:$PORT" \
    --workers "${BENCH_WORKERS:-2}" --threads "${BENCH_THREADS:-4}" \
    --pid "$WORK/gunicorn.pid" \
    --log-level warning --error-logfile "$WORK/gunicorn.log" >"$WORK/requests.log" 2>&1
