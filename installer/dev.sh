#!/usr/bin/env bash
# Developer entry point: installs what is missing (Debian 12, as root), builds and runs.
#
#   installer/dev.sh start [FLOW]   build, then open FLOW (default: the example) in the designer;
#                                   without a display, run it with pipewright-cli and show the run
#   installer/dev.sh test           build with warnings as errors and run every test label
#                                   (the `postgres` label starts its own server: tests/postgres)
#   installer/dev.sh faults         the fault tests (label `faults`) with the full counts:
#                                   40 kills, 10 GUI kills, 5 rounds of each pause/resume scenario
#   installer/dev.sh deps           only install the Debian packages
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PW_BUILD_DIR:-$here/build}

packages=(
    cmake ninja-build g++ ccache pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-svg-dev qt6-tools-dev qt6-l10n-tools
    qt6-translations-l10n libyaml-cpp-dev libyaml-dev libgraphviz-dev libgl-dev
    sqlite3 libsqlite3-dev clang-format xvfb xauth xdotool imagemagick fonts-noto-cjk
    postgresql libqt6sql6-psql
    time linux-perf # bench_load's process measurement and profiling (docs/BENCHMARKS.md)
)

deps() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "Installing: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

configure() {
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

case "${1:-}" in
deps)
    deps
    ;;
start)
    deps
    configure
    flow=${2:-$here/resources/examples/hello.flow.yaml}
    export PIPEWRIGHT_HOME=${PIPEWRIGHT_HOME:-$HOME/.local/share/pipewright}
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        cmake --build "$build" --parallel 2 --target pipewright
        exec "$build/app/gui/pipewright" "$flow"
    fi
    echo "No display: running the flow with pipewright-cli instead of opening the designer."
    cmake --build "$build" --parallel 2 --target pipewright-cli
    "$build/app/cli/pipewright-cli" run "$flow" || true
    "$build/app/cli/pipewright-cli" runs --limit 5
    ;;
test)
    deps
    # In CI (CI set), no debug info: the same -O2 code, built and linked faster on 2 cores.
    if [ -n "${CI:-}" ]; then
        configure -DPW_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG"
    else
        configure -DPW_WERROR=ON
    fi
    cmake --build "$build" --parallel 2
    cd "$build"
    ctest --output-on-failure --parallel 2 --timeout 600
    ;;
faults)
    # CI runs the same tests with small counts (about 8 kills, 3 GUI kills); here the full ones.
    # Override with PW_FAULT_KILLS, PW_FAULT_GUI_KILLS, PW_FAULT_PAUSES, PW_FAULT_TASKS,
    # PW_FAULT_SEED. Each test prints a summary line (kills survived, right after spawn,
    # overlaps seen, orphans seen).
    deps
    configure -DPW_WERROR=ON
    cmake --build "$build" --parallel 2 --target pipewright-cli pipewright tst_killloop tst_pauseresume \
        tst_iofaults tst_multiproc tst_schedulekill tst_guikill
    cd "$build"
    PW_FAULT_KILLS=${PW_FAULT_KILLS:-40} PW_FAULT_GUI_KILLS=${PW_FAULT_GUI_KILLS:-10} PW_FAULT_PAUSES=${PW_FAULT_PAUSES:-5} \
        ctest -L faults --output-on-failure --verbose
    ;;
*)
    sed -n '2,11p' "$0"
    exit 2
    ;;
esac
