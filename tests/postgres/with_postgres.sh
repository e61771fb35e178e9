#!/usr/bin/env bash
# Runs a command with a private PostgreSQL 15 server on a free loopback port:
#
#   tests/postgres/with_postgres.sh COMMAND ARGS...
#
# The server lives in a temporary directory for as long as the command runs and is
# stopped and removed afterwards (even when the command fails). The command sees
#   SALESCORE_PG_URL        postgresql://postgres@127.0.0.1:PORT/postgres
#   SALESCORE_PG_SERVER     a script: `stop` and `start` this server (same port and data)
#   SALESCORE_MEMORY_STORE  the same: every `sqlite::memory:` engine the command opens
#                           becomes a fresh schema on this server (store_url.h), so the
#                           suite written for SQLite runs unchanged on PostgreSQL.
# initdb refuses to run as root: as root the server runs as the postgres user.
set -euo pipefail

BIN=${SALESCORE_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$BIN/initdb" ]; then
  echo "with_postgres.sh: no PostgreSQL server in $BIN (apt-get install postgresql)" >&2
  exit 1
fi

DIR=$(mktemp -d /tmp/salescore-pg.XXXXXX)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"

# A port no one listens on now (another run may take it before us: then start fails and
# we try the next).
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop() {
  as_owner "'$BIN/pg_ctl' -D '$DIR/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

as_owner "'$BIN/initdb' -D '$DIR/data' -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8" >"$DIR/initdb.log" 2>&1 ||
  { cat "$DIR/initdb.log" >&2; exit 1; }
started=""
for attempt in 1 2 3 4 5; do
  PORT=$(free_port)
  # Durability off: the data is thrown away afterwards, and fsync would only slow the
  # suite on a shared machine. Enough connections for the suite's readers.
  START="'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -t 60 -o \"-p $PORT -k $DIR -c listen_addresses=127.0.0.1 \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start"
  if as_owner "$START" >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "with_postgres.sh: PostgreSQL did not start:" >&2
  cat "$DIR/log" >&2 || true
  exit 1
fi

# `$SALESCORE_PG_SERVER stop|start`: the fault tests stop this server under load and start
# it again on the same port and data.
printf '%s\n' "$START" >"$DIR/start.cmd"
cat >"$DIR/server.sh" <<EOF
#!/bin/sh
as_owner() { if [ "\$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "\$*"; else sh -c "\$*"; fi; }
case "\$1" in
  stop) as_owner "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" ;;
  start) as_owner "\$(cat '$DIR/start.cmd')" ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
EOF
chmod 755 "$DIR/server.sh"
export SALESCORE_PG_SERVER="$DIR/server.sh"
export SALESCORE_PG_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
export SALESCORE_MEMORY_STORE="$SALESCORE_PG_URL"
"$@"
