#!/usr/bin/env bash
# Regenerates docs/screenshots/editor-{light,dark}.png (and the Korean one) from the real
# `pipewright` binary under Xvfb: opens the daily_sales example, clicks the "load" task so the
# Inspector shows it, and grabs the screen.
#   docs/screenshots/make-screenshots.sh [BUILD_DIR]      (needs xvfb, xauth, xdotool, imagemagick)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$here/build}
bin=$build/app/gui/pipewright
out=$here/docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 700 "$tmp"

shoot() { # theme lang file
    XDG_RUNTIME_DIR=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
        "$0" "$1" --theme "$2" --lang "$3" & pid=$!
        for _ in $(seq 100); do xdotool search --name "Pipewright" >/dev/null 2>&1 && break; sleep 0.1; done
        sleep 1
        # the "load" node of the fitted daily_sales flow
        xdotool mousemove 835 320 click 1 mousemove 700 600
        sleep 0.5
        import -window root "$4"
        kill $pid; wait $pid 2>/dev/null || true
    ' "$bin" "$here/resources/examples/daily_sales.flow.yaml" "$1" "$2" "$3"
}
shoot light en "$out/editor-light.png"
shoot dark en "$out/editor-dark.png"
shoot light ko "$out/editor-ko.png"
echo "written: $out/editor-light.png $out/editor-dark.png $out/editor-ko.png"
