#!/bin/sh
# ctest fixture `postgres` (cleanup): stops the server start.sh started, by its pid (fast
# shutdown, then SIGKILL after 10 s), and removes its directory.
set -u
state=$1
[ -f "$state" ] || exit 0
pid=$(sed -n 's/^pid=//p' "$state")
dir=$(sed -n 's/^dir=//p' "$state")
if [ -n "$pid" ]; then
    kill -INT "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
fi
case "$dir" in /tmp/pw-postgres.*) rm -rf "$dir" ;; esac
rm -f "$state"
echo "PostgreSQL stopped"
