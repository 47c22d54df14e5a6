#!/usr/bin/env bash
# Runs a command with RELAIS_TEST_POSTGRES_URL pointing at a PostgreSQL server.
# When the variable is already set, the command runs against that server. Otherwise a
# throwaway cluster is made from Debian's PostgreSQL binaries in a temporary directory, on a
# free port, as the unprivileged `postgres` user when run as root, and removed afterwards.
set -euo pipefail

if [[ -n "${RELAIS_TEST_POSTGRES_URL:-}" ]]; then
  exec "$@"
fi

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "with-postgres: no PostgreSQL server binaries (install Debian's postgresql package)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/relais-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# A test cluster: durability traded for speed, room for parallel test databases. Benchmarks
# set PG_DURABLE=1 to measure with PostgreSQL's durable defaults, as in production.
settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[[ "${PG_DURABLE:-0}" == 1 ]] && settings="-c shared_buffers=512MB"
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $dir $settings -c max_connections=300" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export RELAIS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
