#!/bin/bash
# Does a Prometheus scrape every second cost ingest throughput? (Benchmarks/README.md, "Metrics:
# the cost of a scrape".) One release dcrd with an http: listener, driven by dcr-load throughput
# (8 connections x 64 in flight) with no scraper, then with a scraper that GETs /metrics every
# second (a new connection each time), alternating for ROUNDS rounds (ABBA order) so that
# whatever else the machine does hits both alike. Prints each run, the medians and the ratio
# scraped/unscraped.
#   swift build -c release && Benchmarks/scrape.sh          (BIN=.build/debug for a debug build)
set -euo pipefail
BIN=${BIN:-.build/release}
WORK=${WORK:-.build/bench-scrape}
ROUNDS=${ROUNDS:-6}
SECONDS_EACH=${SECONDS_EACH:-10}
SCRAPE_EVERY=${SCRAPE_EVERY:-1}
rm -rf "$WORK"; mkdir -p "$WORK"
head -c 32 /dev/urandom > "$WORK/pseudonym.key"; chmod 600 "$WORK/pseudonym.key"
cat > "$WORK/dcrd.conf" <<CONF
listen unix:$WORK/dcrd.sock
listen http:127.0.0.1:0
state-dir $WORK/state
pseudonym-key-file $WORK/pseudonym.key
site H17 12
site SKYEN 6
site MOBILE 2
log-level notice
max-in-flight 100000
CONF
"$BIN/dcrd" --config "$WORK/dcrd.conf" > "$WORK/dcrd.log" 2>&1 &
PID=$!
SCRAPER=
trap 'kill $PID $SCRAPER 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
i=0; until grep -q "ready" "$WORK/dcrd.log" 2>/dev/null; do i=$((i+1)); [ $i -lt 6000 ] || { cat "$WORK/dcrd.log"; exit 1; }; sleep 0.01; done
http_port=$(grep "ready" "$WORK/dcrd.log" | sed -E 's/.*http_ports="?\[([0-9]+).*/\1/')

# The scraper: what Prometheus does every scrape_interval, with bash's /dev/tcp (no client to
# install, no keep-alive: a new connection each time, as Prometheus makes after an idle gap).
scrape_loop() {
  while :; do
    exec 3<>"/dev/tcp/127.0.0.1/$http_port"
    printf 'GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n' >&3
    cat <&3 > "$WORK/last-scrape"
    exec 3<&-
    sleep "$SCRAPE_EVERY"
  done
}
load() { "$BIN/dcr-load" throughput --socket "$WORK/dcrd.sock" --connections 8 --in-flight 64 --seconds "$SECONDS_EACH"; }
field() { sed -E "s|.*$1=([0-9.]+).*|\1|"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "# machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r); build $BIN"
echo "# load before: $(uptime)"
echo "# $ROUNDS rounds; dcr-load throughput 8 connections x 64 in flight, ${SECONDS_EACH}s each; scrape every ${SCRAPE_EVERY}s"
: > "$WORK/results"
# Odd rounds measure without a scraper first, even rounds with one first (ABBA), so a trend in
# the machine's load (another build starting or ending) does not fall on one side only.
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="none scraped"; else order="scraped none"; fi
  for mode in $order; do
    if [ "$mode" = scraped ]; then scrape_loop & SCRAPER=$!; fi
    r=$(load)
    if [ "$mode" = scraped ]; then kill "$SCRAPER"; wait "$SCRAPER" 2>/dev/null || true; SCRAPER=; fi
    echo "round $round $mode: $r"
    echo "$mode $(echo "$r" | field 'acked/s')" >> "$WORK/results"
  done
done
echo "# load after: $(uptime)"
grep -q '^dcr_events_stored_total{site="H17",kind="intake"}' "$WORK/last-scrape" || { echo "the scraper read no metrics" >&2; exit 1; }
echo "# last scrape: $(grep -c '^dcr_' "$WORK/last-scrape") dcr_ series, $(wc -c < "$WORK/last-scrape") bytes"
none=$(awk '$1=="none" {print $2}' "$WORK/results" | median)
scraped=$(awk '$1=="scraped" {print $2}' "$WORK/results" | median)
printf 'median acked/s  no scrape %.0f  scraped every %ss %.0f  ratio scraped/none %.3f (aim >= 0.95)\n' \
  "$none" "$SCRAPE_EVERY" "$scraped" "$(awk -v a="$scraped" -v b="$none" 'BEGIN {print a / b}')"
