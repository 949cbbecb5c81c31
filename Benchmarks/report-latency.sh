#!/bin/bash
# Does a long report hold up acknowledgements? (Benchmarks/README.md, "Acknowledgements beside a
# report loop"; issue 10, acceptance 5: p99 within 1.2x of the run without.) One release dcrd
# with two years of history (FILL_EVENTS events spread over 730 days), then paced load
# (dcr-load wire-latency --rate RATE) without and with a loop of the heaviest report
# (intakes by date, substance and route over the two years, `dcr-load reports`) back to back,
# for ROUNDS rounds in ABBA order. Prints each run, the median p99 of each and the ratio.
#   swift build -c release && bash Benchmarks/report-latency.sh
set -euo pipefail
BIN=${BIN:-.build/release}
WORK=${WORK:-.build/bench-report-latency}
ROUNDS=${ROUNDS:-4}
RATE=${RATE:-1000}
SECONDS_EACH=${SECONDS_EACH:-10}
FILL_EVENTS=${FILL_EVENTS:-300000}
rm -rf "$WORK"; mkdir -p "$WORK"
head -c 32 /dev/urandom > "$WORK/pseudonym.key"; chmod 600 "$WORK/pseudonym.key"
cat > "$WORK/dcrd.conf" <<CONF
listen unix:$WORK/dcrd.sock
state-dir $WORK/state
pseudonym-key-file $WORK/pseudonym.key
site H17 12
log-level notice
max-in-flight 100000
CONF
"$BIN/dcrd" --config "$WORK/dcrd.conf" > "$WORK/dcrd.log" 2>&1 &
PID=$!
LOOP=
trap 'kill $PID $LOOP 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
i=0; until grep -q "ready" "$WORK/dcrd.log" 2>/dev/null; do i=$((i+1)); [ $i -lt 6000 ] || { cat "$WORK/dcrd.log"; exit 1; }; sleep 0.01; done
"$BIN/dcr-load" fill --socket "$WORK/dcrd.sock" --count "$FILL_EVENTS" --connections 8 --in-flight 64 --days-ago 1 --spread-days 729 > /dev/null
FROM=$(date -u -d "-731 days" +%F); TO=$(date -u +%F)
report() { "$BIN/dcrctl" report intakes --from "$FROM" --to "$TO" --by date,substance,route --json --socket "$WORK/dcrd.sock"; }
rows=$(report | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')
# LOOP_CLIENT=dcr-load (the default): the reports back to back on one connection (`dcr-load
# reports`). LOOP_CLIENT=dcrctl: a new dcrctl process per report, as before 2026-12-07 evening;
# on two shared cores its start-ups cost more than the reports (Benchmarks/README.md).
LOOP_CLIENT=${LOOP_CLIENT:-dcr-load}
report_loop() {
  if [ "$LOOP_CLIENT" = dcrctl ]; then
    while :; do report > /dev/null; echo x >> "$WORK/reports"; done
  else
    ${LOOP_NICE:+nice -n $LOOP_NICE} "$BIN/dcr-load" reports --socket "$WORK/dcrd.sock" --seconds $((SECONDS_EACH + 1)) > "$WORK/reports"
  fi
}
# The paced client: `dcr-load wire-latency` (a thread writes each event at its due time, another
# scans for the Acks), so the client's own scheduling adds as little as it can to both columns;
# PACED_CLIENT=latency uses the client through DaemonConnection, as before 2026-12-08.
PACED_CLIENT=${PACED_CLIENT:-wire-latency}
load() { "$BIN/dcr-load" "$PACED_CLIENT" --socket "$WORK/dcrd.sock" --rate "$RATE" --seconds "$SECONDS_EACH"; }
p99() { sed -n 's/.* p99=\([0-9]*\)us.*/\1/p'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "# machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r); build $BIN"
echo "# load before: $(uptime)"
echo "# $FILL_EVENTS events over 730 days; the report has $rows rows; $ROUNDS rounds ABBA; dcr-load $PACED_CLIENT --rate $RATE, ${SECONDS_EACH}s each"
: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="alone reports"; else order="reports alone"; fi
  for mode in $order; do
    : > "$WORK/reports"
    if [ "$mode" = reports ]; then report_loop & LOOP=$!; fi
    r=$(load)
    if [ "$mode" = reports ]; then
      # dcr-load ends by itself a second after the paced run (and prints its count).
      [ "$LOOP_CLIENT" = dcrctl ] && kill "$LOOP"
      wait "$LOOP" 2>/dev/null || true; LOOP=
    fi
    if [ "$LOOP_CLIENT" = dcrctl ] || [ "$mode" = alone ]; then n=$(wc -l < "$WORK/reports"); else n=$(sed -n 's/.*answered=\([0-9]*\).*/\1/p' "$WORK/reports"); fi
    echo "round $round $mode: $r (${n:-0} reports)"
    echo "$mode $(echo "$r" | p99)" >> "$WORK/results"
  done
done
alone=$(awk '$1 == "alone" {print $2}' "$WORK/results" | median)
with=$(awk '$1 == "reports" {print $2}' "$WORK/results" | median)
echo "median ack p99: ${alone} us alone, ${with} us beside the report loop: ratio $(awk "BEGIN { printf \"%.2f\", $with / $alone }") (aim <= 1.2)"
echo "# load after: $(uptime)"
