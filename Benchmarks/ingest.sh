#!/bin/sh
# Ingest benchmark for Benchmarks/README.md ("Ingest: durable acknowledgements").
# Runs a RELEASE dcrd on a state directory on the real disk (not tmpfs: fsync must cost what it
# costs) and drives it with dcr-load. Usage: swift build -c release && Benchmarks/ingest.sh
set -eu
BIN=${BIN:-.build/release}
WORK=${WORK:-.build/bench-ingest}
SECONDS_EACH=${SECONDS_EACH:-10}
REPLAY_EVENTS=${REPLAY_EVENTS:-1000000}
rm -rf "$WORK"; mkdir -p "$WORK"
cat > "$WORK/dcrd.conf" <<CONF
listen unix:$WORK/dcrd.sock
state-dir $WORK/state
site H17 12
log-level notice
max-in-flight 100000
CONF

start() {
  "$BIN/dcrd" --config "$WORK/dcrd.conf" >> "$WORK/dcrd.log" 2>&1 &
  PID=$!
  i=0; until grep -q "ready" "$WORK/dcrd.log" 2>/dev/null; do i=$((i+1)); [ $i -lt 6000 ] || exit 1; sleep 0.01; done
}
stop() { kill "$PID"; wait "$PID" || true; : > "$WORK/dcrd.log"; }
fresh() { rm -rf "$WORK/state"; start; }
load() { "$BIN/dcr-load" "$@" --socket "$WORK/dcrd.sock"; }

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
for ids in v7 v4; do
  fresh; load throughput --connections 1 --in-flight 256 --seconds "$SECONDS_EACH" --ids $ids; stop
  fresh; load throughput --connections 8 --in-flight 64 --seconds "$SECONDS_EACH" --ids $ids; stop
  fresh; load latency --rate 1000 --seconds "$SECONDS_EACH" --ids $ids; stop
  fresh; load latency --rate 10000 --seconds "$SECONDS_EACH" --ids $ids; stop
done
for ids in v7 v4; do
  fresh; load fill --count "$REPLAY_EVENTS" --connections 8 --in-flight 64 --ids $ids; stop
  start; echo "replay ids=$ids: $(grep 'replayed the store' "$WORK/dcrd.log")"; stop
done
