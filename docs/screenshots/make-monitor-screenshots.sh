#!/usr/bin/env bash
# Regenerates docs/screenshots/monitor-{running,preview,gantt}.png from the real `pipewright`
# binary under Xvfb, driven with real input (xdotool): F5 runs a small daily load whose
# load_orders task fails (after one retry), a right click on the failed run picks "Rerun failed
# tasks", the preview is shot, Run confirms, and the Gantt of the recovered run is shot.
#   docs/screenshots/make-monitor-screenshots.sh [BUILD_DIR] [--lang ko]
#   (needs xvfb, xauth, xdotool, imagemagick, python3)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$here/build}
lang=${3:-en}
suffix=$([ "$lang" = en ] && echo "" || echo "-$lang")
out=$here/docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 700 "$tmp"
cat > "$tmp/daily_sales.flow.yaml" <<'FLOW'
pipewright: 1
flow: daily_sales
title: Daily sales load
params:
  date: {type: date, default: "2026-11-24"}
  region: {type: choice, values: [kr, jp], default: kr}
tasks:
  extract: {type: shell, command: "sleep 1.5; echo extracted {{date}} {{region}}"}
  clean: {type: shell, after: [extract], command: "sleep 1; echo cleaned"}
  load_orders:
    type: shell
    after: [clean]
    retries: 1
    retry_delay: 2s
    command: "sleep 1; test -f OK || { echo 'warehouse: connection refused' >&2; exit 75; }"
  load_customers: {type: shell, after: [clean], command: "sleep 3; echo customers loaded"}
  aggregate: {type: shell, after: [load_orders, load_customers], command: "sleep 1; echo aggregated"}
  report: {type: shell, after: [aggregate], command: "sleep 0.5; echo report"}
  archive: {type: shell, after: [extract], command: "sleep 2; echo archived"}
layout: {extract: [0, 100], clean: [260, 100], archive: [260, 260], load_orders: [520, 0], load_customers: [520, 160], aggregate: [780, 80], report: [1040, 80]}
FLOW

XDG_RUNTIME_DIR=$tmp XDG_CONFIG_HOME=$tmp/config QT_PLUGIN_PATH=$build/tests/plugins QT_QPA_GENERIC_PLUGINS=pwprobe:$tmp/probe.json \
xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
    gui=$0; flow=$1; home=$2; probe=$3; out=$4; suffix=$5; lang=$6; dir=$(dirname "$flow")
    "$gui" "$flow" --home "$home" --lang "$lang" & pid=$!
    at() {
      for _ in $(seq 300); do
        xy=$(python3 -c "import json,sys; d=json.load(open(\"$probe\")); v=d.get(sys.argv[1]); print(*v) if v else sys.exit(1)" "$1" 2>/dev/null) && { echo "$xy"; return 0; }
        sleep 0.05
      done
      echo "no $1" >&2; kill $pid; exit 1
    }
    shot() { import -window root -crop 1440x900+0+0 "$out/$1$suffix.png"; }
    xdotool mousemove $(at canvas) click 1; sleep 0.3
    xdotool key F5
    xdotool mousemove $(at paramsOk) click 1
    sleep 4.2; xdotool mousemove 1300 880; shot monitor-running
    # wait for the failure (the Runs row turns failed: the cli is not needed here)
    sleep 9
    touch "$dir/OK"
    xdotool mousemove $(at runsRow0) click 3
    xdotool mousemove $(at menu:rerunFailed); sleep 0.2; xdotool click 1
    at confirmRerun >/dev/null; sleep 0.5; xdotool mousemove 1300 880; shot monitor-preview
    xdotool mousemove $(at confirmRerun) click 1
    sleep 9
    xdotool mousemove $(at "tab:Charts") click 1 2>/dev/null || xdotool mousemove $(at "tab:차트") click 1
    sleep 1.5; xdotool mousemove 1300 880; shot monitor-gantt
    kill $pid; wait $pid 2>/dev/null || true
' "$build/app/gui/pipewright" "$tmp/daily_sales.flow.yaml" "$tmp/home" "$tmp/probe.json" "$out" "$suffix" "$lang"
echo "written: $out/monitor-running$suffix.png $out/monitor-preview$suffix.png $out/monitor-gantt$suffix.png"
