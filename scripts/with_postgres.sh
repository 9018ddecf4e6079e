#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster: initdb in a temp dir, start it
# on 127.0.0.1 on a free port, export DATABASE_URL, run "$@", stop and remove the cluster.
# As root, initdb and pg_ctl run as the postgres user (initdb refuses root).
set -euo pipefail

bindir=""
if command -v initdb >/dev/null 2>&1; then
  bindir=$(dirname "$(command -v initdb)")
else
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "initdb not found" >&2; exit 1; }

as_pg=()
if [ "$(id -u)" = "0" ]; then
  as_pg=(runuser -u postgres --)
fi
tmp=$(mktemp -d /tmp/estafette-pg.XXXXXX)
[ "$(id -u)" = "0" ] && chown postgres "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -w -l "$tmp/log" \
  -o "-h 127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
