#!/usr/bin/env bash
# Runs every libFuzzer harness in turn for SECONDS each (default 180), one at a time (a shared
# 2-core machine), from the fuzz build of docs/hardening.md:
#   tests/fuzz/run-all.sh [SECONDS] [BUILD_DIR] [HARNESS...]
# Each grows its corpus in /tmp/fuzz/<harness> from the seeds in tests/fuzz/corpus/<harness>;
# a finding lands in /tmp/fuzz/artifacts/ and ends that harness's run. Prints each run's last
# status line (runs, exec/s) and any artifact.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-180}
build=${2:-/tmp/build-fuzz}
shift $(($# < 2 ? $# : 2))
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(flowloader flowjson template cron sqlscript connectionurl)
S=$PWD/tests/fuzz/corpus
mkdir -p /tmp/fuzz/artifacts
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for h in "${harnesses[@]}"; do
    opts=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
          -artifact_prefix=/tmp/fuzz/artifacts/$h-)
    seeds=("$S/$h")
    case $h in
        flowloader) opts+=(-max_len=8192 -dict=tests/fuzz/flow.dict)
                    seeds+=(resources/examples tests/data) ;;
        flowjson) opts+=(-max_len=8192 -dict=tests/fuzz/flow.dict) seeds+=("$S/flowloader") ;;
        template) opts+=(-max_len=1024) ;;
        cron) opts+=(-max_len=256 -dict=tests/fuzz/cron.dict) ;;
        sqlscript) opts+=(-max_len=4096) ;;
        connectionurl) opts+=(-max_len=512) ;;
    esac
    mkdir -p "/tmp/fuzz/$h"
    "$build/tests/fuzz/fuzz_$h" "${opts[@]}" "/tmp/fuzz/$h" "${seeds[@]}" >"/tmp/fuzz/$h.log" 2>&1
    echo "fuzz_$h (exit $?): $(grep -E '^(#[0-9]+|Done)' "/tmp/fuzz/$h.log" | tail -1)"
    ls /tmp/fuzz/artifacts | grep "^$h-" || true
done
