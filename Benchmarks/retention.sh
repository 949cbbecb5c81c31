#!/bin/sh
# Retention benchmark for Benchmarks/README.md ("Retention: acknowledgements while old events
# are deleted"). One run, side by side on two copies of the same store: a RELEASE dcrd without
# retention, then one with retain-years 5 deleting the history dated 6-7 years back, each under
# the same paced load (dcr-load latency); prints both acknowledgement p99s and their ratio.
# Usage: swift build -c release && Benchmarks/retention.sh
#        (RETENTION_BATCH=N RETENTION_PAUSE_MS=M set retention-batch and retention-pause-ms)
set -eu
BIN=${BIN:-.build/release}
WORK=${WORK:-.build/bench-retention}
OLD_EVENTS=${OLD_EVENTS:-300000}
RATE=${RATE:-1000}
SECONDS_EACH=${SECONDS_EACH:-20}
rm -rf "$WORK"; mkdir -p "$WORK"
head -c 32 /dev/urandom > "$WORK/pseudonym.key"; chmod 600 "$WORK/pseudonym.key"

conf() {  # conf NAME RETAIN_YEARS
  cat > "$WORK/$1.conf" <<CONF
listen unix:$WORK/$1.sock
state-dir $WORK/$1
pseudonym-key-file $WORK/pseudonym.key
site H17 12
log-level notice
max-in-flight 100000
retain-years $2
${RETENTION_BATCH:+retention-batch $RETENTION_BATCH}
${RETENTION_PAUSE_MS:+retention-pause-ms $RETENTION_PAUSE_MS}
CONF
}
start() {  # start NAME
  : > "$WORK/$1.log"
  "$BIN/dcrd" --config "$WORK/$1.conf" >> "$WORK/$1.log" 2>&1 &
  PID=$!
  i=0; until grep -q "ready" "$WORK/$1.log" 2>/dev/null; do i=$((i+1)); [ $i -lt 12000 ] || exit 1; sleep 0.01; done
}
stop() { kill "$PID"; wait "$PID" || true; }
p99() { sed -n 's/.*p99=\([0-9]*\)us.*/\1/p'; }

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r)"
echo "# load before: $(uptime)"
# The history: OLD_EVENTS events dated 6 to 7 years ago, plus one day of recent ones.
conf fill 0; start fill
"$BIN/dcr-load" fill --socket "$WORK/fill.sock" --count "$OLD_EVENTS" --connections 8 --in-flight 64 --days-ago 2200 --spread-days 365
"$BIN/dcr-load" fill --socket "$WORK/fill.sock" --count 20000 --connections 8 --in-flight 64
stop
cp -a "$WORK/fill" "$WORK/normal"; cp -a "$WORK/fill" "$WORK/deleting"

conf normal 0; start normal
normal=$("$BIN/dcr-load" latency --socket "$WORK/normal.sock" --rate "$RATE" --seconds "$SECONDS_EACH")
stop
conf deleting 5; start deleting   # the retention pass starts right after ready
during=$("$BIN/dcr-load" latency --socket "$WORK/deleting.sock" --rate "$RATE" --seconds "$SECONDS_EACH")
deleted=$(grep -c "raw events deleted" "$WORK/deleting.log" || true)
stop
echo "without retention:     $normal"
echo "while deleting:        $during"
echo "retention log:         $(grep 'retention:' "$WORK/deleting.log" | sed 's/^.*retention:/retention:/' | tr '\n' ' ')"
if [ "$deleted" -ge 1 ]; then echo "note: the deletion finished before the load ended (see the log line's time)"; else echo "the deletion ran during the whole measured load"; fi
a=$(echo "$normal" | p99); b=$(echo "$during" | p99)
echo "ack p99: ${a} us without, ${b} us while deleting: ratio $(awk "BEGIN { printf \"%.2f\", $b / $a }") (aim <= 1.5)"
echo "# load after: $(uptime)"
