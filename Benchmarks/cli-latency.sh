#!/usr/bin/env bash
# Whole-process time of `dcrctl status` against a local dcrd: exec, dynamic loading, connect,
# Hello/Welcome, one Status round trip, print, exit. Starts its own dcrd in a temporary directory,
# waits until it logs "ready" (polling, with a deadline), runs dcrctl RUNS times after WARMUP
# unmeasured runs, and prints min / median / p90 / p99 / max in milliseconds.
#
#   Benchmarks/cli-latency.sh [BIN_DIR] [RUNS]      (default: .build/release, 200)
#
# Timing uses bash's $EPOCHREALTIME around each run, so no extra process is forked per sample.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/.build/release}
runs=${2:-200}
warmup=20
for exe in dcrd dcrctl; do
  [ -x "$bin/$exe" ] || { echo "cli-latency: $bin/$exe is missing (swift build -c release --product dcrctl --product dcrd)" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/dcr-bench-XXXXXX)
dcrd_pid=
cleanup() { [ -n "$dcrd_pid" ] && kill "$dcrd_pid" 2>/dev/null && wait "$dcrd_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
cat > "$dir/dcrd.conf" <<CONF
listen unix:$dir/dcrd.sock
state-dir $dir/state
site H17 12
site SKYEN 6
site MOBILE 2
CONF
"$bin/dcrd" --config "$dir/dcrd.conf" > "$dir/dcrd.log" 2>&1 &
dcrd_pid=$!
for _ in $(seq 1 500); do grep -q "ready" "$dir/dcrd.log" && break; sleep 0.02; done
grep -q "ready" "$dir/dcrd.log" || { echo "cli-latency: dcrd did not get ready:" >&2; cat "$dir/dcrd.log" >&2; exit 1; }

for _ in $(seq 1 "$warmup"); do "$bin/dcrctl" status --socket "$dir/dcrd.sock" > /dev/null; done
samples=()
for _ in $(seq 1 "$runs"); do
  t0=$EPOCHREALTIME
  "$bin/dcrctl" status --socket "$dir/dcrd.sock" > /dev/null
  t1=$EPOCHREALTIME
  samples+=("$(( (${t1/./} - ${t0/./}) ))")   # microseconds
done
printf '%s\n' "${samples[@]}" | sort -n | awk -v runs="$runs" '
  { v[NR] = $1 }
  function at(q) { i = int(q * NR + 0.5); if (i < 1) i = 1; if (i > NR) i = NR; return v[i] / 1000 }
  END {
    printf "dcrctl status, %d runs: min %.1f ms  median %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n",
      runs, v[1] / 1000, at(0.5), at(0.9), at(0.99), v[NR] / 1000
  }'
