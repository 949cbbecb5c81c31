#!/usr/bin/env bash
# Acknowledgement latency at a paced rate (issue 10, acceptance 4: at 1,000/s p50 <= 0.3 ms and
# p99 <= 1 ms; at 10,000/s p99 <= 2 ms), with what the machine itself costs beside it.
#
#   Benchmarks/ack-latency.sh [ROUNDS]          (default 3; SECONDS_EACH=10)
#   COMPARE_DELAY_US=1000 Benchmarks/ack-latency.sh   adds, in every round, the disk run with
#                                                     commit-max-delay-us 1000 (the old default)
#
# Per round, in alternating order, one release dcrd with its store
#   - on the real disk (synchronous=FULL: an Ack means the commit's fsync returned), and
#   - on tmpfs (/dev/shm: the same code, but an fsync costs nothing): the daemon's own share.
# Against each: `dcr-load wire-latency` (the lean client: a thread writes each event at its due
# time, another reads the Acks) at 1,000/s and at 10,000/s, and on the disk also `dcr-load
# latency` (the client through DaemonConnection) at 1,000/s, to show what that client adds.
# The floor: a 4 KiB overwrite + fdatasync in an existing file in the same directory (what a WAL
# commit does at the least), 2,000 times in every round, p50 and p99: no acknowledgement on that
# disk can be faster.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
BIN=${BIN:-.build/release}
disk=$(mktemp -d "${TMPDIR:-/var/tmp}/dcr-ack-latency.XXXXXX")
mem=$(mktemp -d /dev/shm/dcr-ack-latency.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$disk" "$mem"
}
trap cleanup EXIT

start_dcrd() { # $1: directory, $2: extra configuration lines
  rm -rf "$1/state"
  printf 'listen unix:%s\nstate-dir %s\nlog-level notice\n%s\n' "$1/dcrd.sock" "$1/state" "${2:-}" > "$1/dcrd.conf"
  "$BIN/dcrd" --config "$1/dcrd.conf" > "$1/dcrd.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 60))
  until grep -q ready "$1/dcrd.log" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "ack-latency.sh: dcrd exited:" >&2; cat "$1/dcrd.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "ack-latency.sh: dcrd not ready within 60 s" >&2; exit 1; }
    sleep 0.05
  done
}
stop_dcrd() { kill $pid; wait $pid 2>/dev/null || true; pid=; }

floor_us() { # p50 and p99 µs of a 4 KiB overwrite + fdatasync in $1 (as a WAL commit does)
  python3 - "$1/floor" <<'PY'
import os, sys, time
path = sys.argv[1]
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
os.write(fd, b"\0" * (1 << 20)); os.fsync(fd)
block, times = b"x" * 4096, []
for i in range(2000):
    t = time.perf_counter_ns()
    os.pwrite(fd, block, (i % 256) * 4096); os.fdatasync(fd)
    times.append(time.perf_counter_ns() - t)
times.sort()
print(f"p50 {times[len(times) // 2] // 1000} µs, p99 {times[len(times) * 99 // 100] // 1000} µs")
os.close(fd); os.unlink(path)
PY
}

run() { # $1: directory, $2: label, $3: extra configuration lines
  start_dcrd "$1" "${3:-}"
  # A warm-up: the first commits grow the WAL (an fsync that also writes metadata); in service
  # it is long past that and is rewritten in place.
  "$BIN/dcr-load" wire-latency --socket "$1/dcrd.sock" --rate 2000 --seconds 5 > /dev/null
  local a b c=""
  a=$("$BIN/dcr-load" wire-latency --socket "$1/dcrd.sock" --rate 1000 --seconds "$SECONDS_EACH")
  b=$("$BIN/dcr-load" wire-latency --socket "$1/dcrd.sock" --rate 10000 --seconds "$SECONDS_EACH")
  [ "$2" = disk ] && [ -z "${3:-}" ] && c=$("$BIN/dcr-load" latency --socket "$1/dcrd.sock" --rate 1000 --seconds "$SECONDS_EACH")
  stop_dcrd
  local f; f=$(floor_us "$1")
  fields() { sed -n 's/.*p50=\([0-9]*\)us p99=\([0-9]*\)us.*/p50 \1 µs, p99 \2 µs/p'; }
  printf '%-9s 1,000/s: %s | 10,000/s: %s | fdatasync %s' "$2" "$(fields <<<"$a")" "$(fields <<<"$b")" "$f"
  [ -n "$c" ] && printf ' | through DaemonConnection, 1,000/s: %s' "$(fields <<<"$c")"
  echo
}

echo "# machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg); build $BIN"
for r in $(seq 1 "$ROUNDS"); do
  echo "## round $r"
  if [ $((r % 2)) = 1 ]; then
    run "$disk" disk; run "$mem" tmpfs
    [ -z "${COMPARE_DELAY_US:-}" ] || run "$disk" "disk+${COMPARE_DELAY_US}us" "commit-max-delay-us $COMPARE_DELAY_US"
  else
    [ -z "${COMPARE_DELAY_US:-}" ] || run "$disk" "disk+${COMPARE_DELAY_US}us" "commit-max-delay-us $COMPARE_DELAY_US"
    run "$mem" tmpfs; run "$disk" disk
  fi
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
