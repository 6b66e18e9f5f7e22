#!/bin/bash
# Drives the real `pipewright` under Xvfb for tst_monitor_e2e (see there): F5, Trust (the file
# was never run here), OK, wait for the failure, right click the run, "Rerun failed tasks", the
# preview's Run button.
# $1 gui, $2 cli, $3 flow, $4 home, $5 probe, $6 OK file, $7 shots dir (optional), $8 plugin dir
# The probe plugin (probe/pwprobe.cpp) in the GUI writes where to click to $5.
gui=$1; cli=$2; flow=$3; home=$4; probe=$5; okfile=$6
QT_PLUGIN_PATH=$8 QT_QPA_GENERIC_PLUGINS=pwprobe:$probe "$gui" "$flow" --home "$home" --lang en & pid=$!
fail() { echo "drive: $*"; kill $pid 2>/dev/null; wait $pid 2>/dev/null; exit 1; }
# Waits for KEY in the probe file and prints "X Y".
# (plain shell: the probe is compact JSON {"key":[x,y],...})
at() {
  for _ in $(seq 200); do
    xy=$(grep -o "\"$1\":\[[0-9-]*,[0-9-]*\]" "$probe" 2>/dev/null | sed 's/.*\[\(.*\),\(.*\)\]/\1 \2/')
    [ -n "$xy" ] && { echo "$xy"; return 0; }
    sleep 0.05
  done
  return 1
}
# The run object comes first in `show --json` (keys are sorted), so the first "state" is the run's.
state() { "$cli" show 1 --home "$home" --json 2>/dev/null | grep -o '"state": *"[a-z_]*"' | head -1 | sed 's/.*"\([a-z_]*\)"$/\1/'; }
xy=$(at canvas) || fail "no window"
xdotool mousemove $xy click 1
sleep 0.2
xdotool key F5
xy=$(at trustButton) || fail "no trust prompt"
[ -n "$7" ] && import -window root "$7/trust.png"
xdotool mousemove $xy click 1
xy=$(at paramsOk) || fail "no params dialog"
xdotool mousemove $xy click 1
for _ in $(seq 300); do [ "$(state)" = failed ] && break; sleep 0.1; done
[ "$(state)" = failed ] || fail "the run did not fail: $(state)"
touch "$okfile"
xy=$(at runsRow0) || fail "no runs row"
xdotool mousemove $xy click 3
xy=$(at menu:rerunFailed) || fail "no context menu"
xdotool mousemove $xy
sleep 0.1
xdotool click 1
xy=$(at confirmRerun) || fail "no preview"
[ -n "$7" ] && import -window root "$7/preview.png"
xdotool mousemove $xy click 1
for _ in $(seq 300); do [ "$(state)" = succeeded ] && break; sleep 0.1; done
sleep 0.5
kill $pid; wait $pid 2>/dev/null
[ "$(state)" = succeeded ] || { echo "final state: $(state)"; exit 1; }
exit 0
