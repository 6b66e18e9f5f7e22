#!/bin/sh
# ctest fixture `postgres` (setup): starts one PostgreSQL server for the whole test run, on a
# free loopback port, in a temporary directory (recipe: ../shared/TESTING.md "PostgreSQL"), and
# writes what the tests need to STATE (port=, user=, dir=, pid=). Without the server binaries
# (Debian package `postgresql`) it writes skip= instead and succeeds, so the tests skip.
# As root the server runs as the `postgres` user (PostgreSQL refuses root).
set -eu
state=$1
rm -f "$state"
bin=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && { bin=$d; break; }
done
[ -n "$bin" ] || { command -v pg_ctl >/dev/null 2>&1 && bin=$(dirname "$(command -v pg_ctl)"); } || true
if [ -z "$bin" ]; then
    echo "skip=PostgreSQL server binaries not found (Debian package postgresql)" > "$state"
    exit 0
fi
as() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "skip=running as root and there is no postgres user to run the server" > "$state"
        exit 0
    fi
    as() { runuser -u postgres -- "$@"; }
fi
dir=$(mktemp -d /tmp/pw-postgres.XXXXXX)
chmod 700 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
as "$bin/initdb" -D "$dir/data" -A trust -U pw --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log"; rm -rf "$dir"; exit 1; }
# A free port: try a few from one derived from our pid (a port in use fails the start at once).
port=$((20000 + $$ % 20000))
tries=0
until as "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ $tries -ge 10 ]; then
        cat "$dir/log"; rm -rf "$dir"; exit 1
    fi
    port=$((port + 7))
done
pid=$(head -n 1 "$dir/data/postmaster.pid")
printf 'port=%s\nuser=pw\ndir=%s\npid=%s\nbin=%s\n' "$port" "$dir" "$pid" "$bin" > "$state"
echo "PostgreSQL started: port $port, pid $pid, $dir"
