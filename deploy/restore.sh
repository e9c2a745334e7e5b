#!/usr/bin/env bash
# Restore a deploy/backup.sh dump into a PostgreSQL database, replacing what it holds.
#
#   deploy/restore.sh BACKUP_FILE
#
# DATABASE_URL names the target database, which must exist (createdb it first for a fresh
# restore). Objects in the dump are dropped and recreated (--clean --if-exists); the whole
# restore runs in one transaction, so a failure leaves the database as it was.
# Stop the application (or point it elsewhere) while restoring.
set -euo pipefail

backup=${1:?usage: deploy/restore.sh BACKUP_FILE}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;;
esac
[ -r "$backup" ] || { echo "restore.sh: cannot read $backup" >&2; exit 2; }
command -v pg_restore >/dev/null || { echo "restore.sh needs pg_restore (apt-get install postgresql-client)" >&2; exit 2; }
# The password goes through a private password file, never the command line (deploy/pgpass.sh).
# shellcheck source=deploy/pgpass.sh
. "$(dirname "$0")/pgpass.sh"
trap 'rm -f ${PGPASSFILE:+"$PGPASSFILE"}' EXIT

pg_restore --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
  --dbname="$PG_URL" "$backup"
echo "restored $backup into the database"
