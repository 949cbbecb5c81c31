#!/usr/bin/env bash
# Instructions per acknowledged event in dcrd (issue 10, acceptance 6), counted by valgrind's
# callgrind: exact, and the same on a quiet or a busy machine, so two builds compare exactly.
#
#   Benchmarks/instructions.sh [BIN_DIR] [SMALL] [LARGE]
#
# Runs a release dcrd under callgrind twice, once fed SMALL events and once LARGE (dcr-load fill,
# 8 connections x 64 in flight, time-ordered ids, every event acknowledged only once committed),
# and prints (Ir(LARGE) - Ir(SMALL)) / (LARGE - SMALL): start, replay, shutdown and the Hello
# cancel out. Every thread of dcrd counts (event loops, the store's writer, timers).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release}
SMALL=${2:-2000}
LARGE=${3:-12000}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (make deps)" >&2; exit 2; }
work=$(mktemp -d /tmp/dcr-instructions.XXXXXX)
# A dcrd left behind by a failed run (each run's subshell writes its pid here; never `kill 0`).
trap 'if [ -s "$work/pid" ]; then kill "$(cat "$work/pid")" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes; symbols stay, debug info goes.
objcopy --strip-debug "$BIN/dcrd" "$work/dcrd"

run() { # $1: events → prints the total instructions of the dcrd process
  local n=$1 dir=$work/run-$1
  mkdir -p "$dir"
  cat > "$dir/dcrd.conf" <<CONF
listen unix:$dir/dcrd.sock
state-dir $dir/state
log-level notice
max-in-flight 100000
CONF
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
    "$work/dcrd" --config "$dir/dcrd.conf" > "$dir/dcrd.log" 2>&1 &
  pid=$!
  echo "$pid" > "$work/pid"
  local deadline=$((SECONDS + 300))
  until grep -q "ready" "$dir/dcrd.log" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "instructions.sh: dcrd did not start under valgrind" >&2; cat "$dir/dcrd.log" >&2; exit 1; }
    sleep 0.2
  done
  "$BIN/dcr-load" fill --count "$n" --connections 8 --in-flight 64 --ids v7 --socket "$dir/dcrd.sock" > "$dir/load.txt"
  kill -TERM "$pid"
  wait "$pid" || true
  : > "$work/pid"
  grep -m1 '^totals:' "$dir/callgrind.out" | awk '{print $2}'
}

small=$(run "$SMALL")
large=$(run "$LARGE")
per=$(( (large - small) / (LARGE - SMALL) ))
echo "# $(git rev-parse --short HEAD 2>/dev/null || echo '?') $BIN/dcrd; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "instructions: ${small} for ${SMALL} events, ${large} for ${LARGE} events"
echo "instructions per acknowledged event: ${per}"
