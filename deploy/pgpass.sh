# Sourced by backup.sh and restore.sh: take the password out of DATABASE_URL.
#
# A password on a command line is visible to every user of the machine (ps, /proc/*/cmdline),
# so the scripts never pass one there: it goes into a temporary password file readable by its
# owner only (PGPASSFILE, removed on exit), and the programs get the URL without it.
# Sets PG_URL (DATABASE_URL without the password) and exports PGPASSFILE when there is one.

pg_userinfo=${DATABASE_URL#*://}
pg_userinfo=${pg_userinfo%%@*}
if [ "$pg_userinfo" != "${DATABASE_URL#*://}" ] && [ "${pg_userinfo#*:}" != "$pg_userinfo" ]; then
  pg_password=${pg_userinfo#*:}
  # URLs percent-encode reserved characters; the password file wants them decoded, and escapes
  # ':' and '\' with a backslash.
  pg_password=$(printf '%b' "${pg_password//%/\\x}")
  pg_password=${pg_password//\\/\\\\}
  pg_password=${pg_password//:/\\:}
  PGPASSFILE=$(umask 077 && mktemp "${TMPDIR:-/tmp}/ssemap-pgpass.XXXXXX")
  export PGPASSFILE
  printf '*:*:*:*:%s\n' "$pg_password" >"$PGPASSFILE"
  unset pg_password
  PG_URL="${DATABASE_URL%%://*}://${pg_userinfo%%:*}@${DATABASE_URL#*@}"
else
  PG_URL=$DATABASE_URL
fi
unset pg_userinfo
