#!/bin/bash
# Does an absent central PostgreSQL cost the terminals anything? (Benchmarks/README.md, "Forward:
# acknowledgements while the central server is away"; issue 16: p99 within 1.2x of normal.)
# One release dcrd forwarding to a real PostgreSQL (Debian's, initdb + pg_ctl in WORK on a free
# port), under paced load (dcr-load latency). Rounds alternate (ABBA): PostgreSQL up (the
# forwarder keeps up) and PostgreSQL stopped (the forwarder fails and backs off; the backlog
# grows). Prints
# each run, the median p99 of each mode and the ratio stopped/up, and the lag dcrctl status shows.
#   swift build -c release && Benchmarks/forward.sh     (as root: PostgreSQL runs as user postgres)
set -euo pipefail
BIN=${BIN:-.build/release}
WORK=${WORK:-$(pwd)/.build/bench-forward}
ROUNDS=${ROUNDS:-4}
RATE=${RATE:-1000}
SECONDS_EACH=${SECONDS_EACH:-10}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
rm -rf "$WORK"; mkdir -p "$WORK/pg"; chown postgres: "$WORK/pg"; chmod 755 "$WORK"
head -c 32 /dev/urandom > "$WORK/pseudonym.key"; chmod 600 "$WORK/pseudonym.key"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { runuser -u postgres -- "$@"; }
pg_start() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1" start > /dev/null; }
pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop > /dev/null; }
psql_dcr() { as_pg "$PGBIN/psql" -h "$WORK/pg" -p "$PGPORT" -d dcr -v ON_ERROR_STOP=1 -Atq "$@"; }
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 > /dev/null
pg_start
as_pg "$PGBIN/psql" -h "$WORK/pg" -p "$PGPORT" -d postgres -Atq -c "CREATE DATABASE dcr"
psql_dcr -f "$(pwd)/Deploy/postgres/schema.sql" > /dev/null
psql_dcr -c "CREATE ROLE dcr_forwarder LOGIN PASSWORD 'bench-password-0123456789'; GRANT USAGE ON SCHEMA public TO dcr_forwarder; GRANT INSERT ON dcr_events TO dcr_forwarder"
echo bench-password-0123456789 > "$WORK/forward.password"

cat > "$WORK/dcrd.conf" <<CONF
listen unix:$WORK/dcrd.sock
state-dir $WORK/state
pseudonym-key-file $WORK/pseudonym.key
site H17 12
log-level notice
max-in-flight 100000
forward postgres://dcr_forwarder@127.0.0.1:$PGPORT/dcr?sslmode=disable
forward-password-file $WORK/forward.password
forward-retry-max 5
CONF
"$BIN/dcrd" --config "$WORK/dcrd.conf" > "$WORK/dcrd.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; pg_stop 2>/dev/null || true' EXIT
i=0; until grep -q "ready" "$WORK/dcrd.log" 2>/dev/null; do i=$((i+1)); [ $i -lt 6000 ] || { cat "$WORK/dcrd.log"; exit 1; }; sleep 0.01; done

load() { "$BIN/dcr-load" latency --socket "$WORK/dcrd.sock" --rate "$RATE" --seconds "$SECONDS_EACH"; }
p99() { sed -n 's/.*p99=\([0-9]*\)us.*/\1/p'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
forward_line() { "$BIN/dcrctl" status --socket "$WORK/dcrd.sock" | sed -n 's/^forward *//p'; }
central() { psql_dcr -c "SELECT count(*) FROM dcr_events"; }

echo "# machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r); build $BIN"
echo "# load before: $(uptime)"
echo "# $ROUNDS rounds; dcr-load latency --rate $RATE, ${SECONDS_EACH}s each; PostgreSQL up and stopped in ABBA order"
: > "$WORK/results"
up_to_date() { i=0; until forward_line | grep -q "up to date"; do i=$((i+1)); [ $i -lt 1200 ] || { echo "forwarder did not catch up" >&2; exit 1; }; sleep 0.1; done; }
pg_up=yes
# Odd rounds measure with PostgreSQL up first, even rounds with it stopped first (ABBA). "up" is
# the steady state: the backlog of a stopped round is forwarded before the measurement starts.
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="up stopped"; else order="stopped up"; fi
  for mode in $order; do
    if [ "$mode" = up ] && [ $pg_up = no ]; then pg_start; pg_up=yes; fi
    if [ "$mode" = up ]; then up_to_date; fi
    if [ "$mode" = stopped ] && [ $pg_up = yes ]; then pg_stop; pg_up=no; fi
    r=$(load)
    echo "round $round $mode: $r"
    echo "           forward: $(forward_line)"
    echo "$mode $(echo "$r" | p99)" >> "$WORK/results"
  done
done
if [ $pg_up = no ]; then pg_start; fi
up_to_date
stored=$("$BIN/dcrctl" status --json --socket "$WORK/dcrd.sock" | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["events_stored"].values()))')
echo "after the last start: forward: $(forward_line); central rows $(central), stored $stored"
up=$(awk '$1 == "up" {print $2}' "$WORK/results" | median)
stopped=$(awk '$1 == "stopped" {print $2}' "$WORK/results" | median)
echo "median ack p99: ${up} us with PostgreSQL up, ${stopped} us while it is stopped: ratio $(awk "BEGIN { printf \"%.2f\", $stopped / $up }") (aim <= 1.2)"
echo "# load after: $(uptime)"
