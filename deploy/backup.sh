#!/usr/bin/env bash
# Back up the ssemap PostgreSQL database to one compressed custom-format file.
#
#   deploy/backup.sh [OUTPUT_FILE]
#
# DATABASE_URL (postgres://user[:password]@host:port/name) names the database. OUTPUT_FILE
# defaults to backups/ssemap-YYYYmmdd-HHMMSS.dump. The dump is consistent (one snapshot) and is
# written to a temporary file first, so a failed run never leaves a truncated backup behind.
# Uploaded images live in MEDIA_ROOT: back that folder up too (rsync, tar).
# A dump holds the submitters' addresses: it is created readable by its owner only (umask 077),
# and the password never appears on a command line (deploy/pgpass.sh).
set -euo pipefail
umask 077

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;;
esac
command -v pg_dump >/dev/null || { echo "backup.sh needs pg_dump (apt-get install postgresql-client)" >&2; exit 2; }
# shellcheck source=deploy/pgpass.sh
. "$(dirname "$0")/pgpass.sh"

output=${1:-backups/ssemap-$(date -u +%Y%m%d-%H%M%S).dump}
mkdir -p "$(dirname "$output")"
partial="$output.partial"
trap 'rm -f "$partial" ${PGPASSFILE:+"$PGPASSFILE"}' EXIT

# -Fc: compressed, restorable table by table with pg_restore; no owner/ACL so it restores under
# any role.
pg_dump --format=custom --no-owner --no-acl --file="$partial" "$PG_URL"
# A dump that pg_restore cannot read is not a backup.
pg_restore --list "$partial" >/dev/null
mv "$partial" "$output"
echo "backup written: $output ($(du -h "$output" | cut -f1))"
