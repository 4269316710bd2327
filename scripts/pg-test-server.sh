#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL cluster for the storage tests and print its connection string.
#
#   eval "$(scripts/pg-test-server.sh --env)"   # exports COWORKER_PG_URL
#   scripts/pg-test-server.sh                   # prints postgres://postgres@127.0.0.1:54331/postgres
#   scripts/pg-test-server.sh --stop            # stops it
#
# Idempotent: a cluster already running in the directory is reused. Trust auth on loopback only, UTF8, C locale
# (code-point text order, like the storage layer specifies). PostgreSQL refuses to run as root, so as root the
# cluster is owned by and run as the `postgres` system user (created by the Debian package).
# Settings: PGTEST_DIR (default /tmp/coworker-pg), PGTEST_PORT (default 54331; the Frappe oracle's own cluster uses 54329).
set -euo pipefail

DIR="${PGTEST_DIR:-/tmp/coworker-pg}"
PORT="${PGTEST_PORT:-54331}"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

find_bin() {
  local name="$1"
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$found" ]; then echo "$found"; return; fi
  echo "pg-test-server: $name not found (install PostgreSQL, e.g. apt-get install postgresql)" >&2
  exit 1
}
INITDB="$(find_bin initdb)"
PG_CTL="$(find_bin pg_ctl)"

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$DIR/data/postmaster.pid" ]; then as_owner "$PG_CTL" -D "$DIR/data" -m fast -w stop >/dev/null; fi
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = "0" ]; then chown postgres "$DIR"; fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  as_owner "$INITDB" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2
    exit 1
  }
fi

if ! as_owner "$PG_CTL" -D "$DIR/data" status >/dev/null 2>&1; then
  # Loopback only, socket in the cluster dir (no /var/run permissions needed), enough connections for the
  # concurrency tests (many pools at once).
  as_owner "$PG_CTL" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=200 -c fsync=off" \
    start >/dev/null || {
    cat "$DIR/server.log" >&2
    exit 1
  }
fi

if [ "${1:-}" = "--env" ]; then
  echo "export COWORKER_PG_URL=$URL"
else
  echo "$URL"
fi
