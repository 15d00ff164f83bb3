#!/usr/bin/env bash
# Sign-ins per second by store (issue 17): one auth server on SQLite, one on PostgreSQL, two on one PostgreSQL
# database, same run, same clients (bench/Parley.Benchmarks.Auth -- stores). Starts a private PostgreSQL from
# Debian's postgresql package (as the postgres user when run as root: initdb refuses root) on a free loopback port,
# with a data folder of its own under /tmp (fsync on, as a real server has it), and stops and removes it at the end.
#
#   bench/stores.sh [COUNT [CLIENTS [MEMORY_KIB]]]     defaults 2000 16 64 (64 KiB: a trivial hash, the store is the cost)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "stores.sh: needs PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
data=$(mktemp -d /tmp/parley-bench-pg-XXXXXX)
chmod 755 "$data"
[ "$(id -u)" -eq 0 ] && chown postgres: "$data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as_pg[@]}" "$bin/pg_ctl" stop -D "$data/db" -m fast -w >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
echo bench > "$data/password"
"${as_pg[@]}" "$bin/initdb" -D "$data/db" -U parley --pwfile "$data/password" --auth-host=scram-sha-256 --auth-local=trust >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" start -w -D "$data/db" -l "$data/log" -o "-p $port -k $data -c listen_addresses=127.0.0.1" >/dev/null
"${as_pg[@]}" "$bin/createdb" -h "$data" -p "$port" -U parley parley
cd "$root"
dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- stores "postgres://parley:bench@127.0.0.1:$port/parley" "$@"
