#!/usr/bin/env bash
# Make the PostgreSQL database named by a URL ready for the tests: start the local cluster when it
# is not answering (Debian's pg_ctlcluster), then create the database when it does not exist.
#   scripts/postgres-up.sh postgresql://postgres@127.0.0.1:5432/fbss_test
set -euo pipefail
url="${1:?usage: postgres-up.sh URL}"
url="${url/+psycopg/}"
server="${url%/*}/postgres"
name="${url##*/}"
name="${name%%\?*}"

if ! psql "$server" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    echo "postgres-up: starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do psql "$server" -qAtc 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
  fi
fi
if ! psql "$server" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo "postgres-up: cannot reach $server." >&2
  echo "postgres-up: start PostgreSQL (pg_ctlcluster --skip-systemctl-redirect 15 main start), or run" >&2
  echo "postgres-up: the SQLite tests alone with: make test TEST_DATABASE_URL=" >&2
  exit 1
fi
if [ -z "$(psql "$server" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
  psql "$server" -qc "CREATE DATABASE \"$name\""
fi
