#!/usr/bin/env bash
# Sustained load on the main pages and the map data, against gunicorn + PostgreSQL with the
# production settings: throughput, latency and the error count, which must be zero.
#
#   bench/trust_sustained.sh [DATABASE] [SECONDS] [CONNECTIONS]   # ssemap_trust 60 32
#
# Builds DATABASE (migrate + bootstrap) when it is missing, serves it with bench/serve.sh on
# 127.0.0.1:$TRUST_PORT (default 8204), runs wrk (apt-get install wrk) over ten URLs in turn,
# prints the summary and exits non-zero on any error. Loopback only; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${1:-ssemap_trust}
DURATION=${2:-60}
CONNECTIONS=${3:-32}
PORT=${TRUST_PORT:-8204}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
BASE=http://127.0.0.1:$PORT
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk"; exit 2; }

bench/trust_prepare_db.sh "$DB"

sql() { psql -At "$PG_URL/$DB" -c "$1"; }
INITIATIVE=$(sql "SELECT slug FROM initiatives_initiative WHERE status = 'published' ORDER BY id LIMIT 1")
THEME=$(sql "SELECT slug FROM initiatives_theme ORDER BY position, id LIMIT 1")
LEVER=$(sql "SELECT slug FROM initiatives_actionlever ORDER BY position, id LIMIT 1")
METRO=$(sql "SELECT slug FROM territories_territory WHERE epci_kind = 'metropole' ORDER BY population DESC LIMIT 1")
PATHS=(
  "/"
  "/initiatives/"
  "/initiatives/?theme=$THEME&sort=name"
  "/initiatives/$INITIATIVE/"
  "/territories/"
  "/territories/$METRO/"
  "/levers/$LEVER/"
  "/en/initiatives/?territory=$METRO"
  "/api/initiatives.geojson?bbox=-5.5,41.0,10.0,51.5&zoom=6"
  "/api/initiatives.geojson?bbox=4.6,45.6,5.1,45.9&zoom=11&theme=$THEME"
)

BENCH_PORT=$PORT bench/serve.sh "$DB" $((DURATION + 120)) &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  sleep 1
done
curl -fsS "$BASE/healthz"; echo

echo "== warm-up (every URL once)"
for path in "${PATHS[@]}"; do
  printf '%s %s\n' "$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")" "$path"
done

echo "== wrk: $CONNECTIONS connections, ${DURATION}s, 2 threads, ${#PATHS[@]} URLs in turn"
OUT=$(mktemp)
wrk --threads 2 --connections "$CONNECTIONS" --duration "${DURATION}s" --timeout 10s --latency \
  --script bench/trust_count_errors.lua "$BASE" -- "${PATHS[@]}" | tee "$OUT"

BAD=$(sed -n 's/^TRUST non_2xx_3xx=\([0-9]*\) socket_errors=\([0-9]*\).*/\1 \2/p' "$OUT")
rm -f "$OUT"
read -r NON_OK SOCKET <<<"$BAD"
if [ "$NON_OK" != "0" ] || [ "$SOCKET" != "0" ]; then
  echo "FAIL: $NON_OK error responses, $SOCKET socket errors"
  exit 1
fi
echo "OK: zero errors"
