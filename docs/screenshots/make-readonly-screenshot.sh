#!/usr/bin/env bash
# Regenerates docs/screenshots/readonly-home.png: a home on a read-only tmpfs (root only; the
# mount is under /tmp and always unmounted), three runs made with pipewright-cli before the
# remount, then `pipewright FLOW --home DIR --run 3 --screenshot` under Xvfb.
#   docs/screenshots/make-readonly-screenshot.sh [BUILD_DIR]   (needs xvfb, xauth)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$here/build}
tmp=$(mktemp -d)
mnt=$tmp/mnt
mkdir -p "$mnt"
mount -t tmpfs -o size=16m tmpfs "$mnt"
trap 'umount -l "$mnt"; rm -rf "$tmp"' EXIT
cat > "$tmp/daily_sales.flow.yaml" <<'FLOW'
pipewright: 1
flow: daily_sales
title: Daily sales load
params:
  date: {type: date, default: today}
tasks:
  extract: {type: shell, command: "echo extract {{date}}"}
  load: {type: shell, after: [extract], command: "echo load; test {{date}} != 2026-11-25"}
  report: {type: shell, after: [load], command: "echo report"}
FLOW
for d in 2026-11-23 2026-11-24 2026-11-25; do
    "$build/app/cli/pipewright-cli" run "$tmp/daily_sales.flow.yaml" -p date=$d --home "$mnt/home" >/dev/null 2>&1 || true
done
mount -o remount,ro "$mnt"
XDG_RUNTIME_DIR=$tmp XDG_CONFIG_HOME=$tmp/config \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/gui/pipewright" "$tmp/daily_sales.flow.yaml" \
    --home "$mnt/home" --run 3 --screenshot "$here/docs/screenshots/readonly-home.png"
