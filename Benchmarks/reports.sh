#!/usr/bin/env bash
# Reports over 7 years of simulated history: time per `dcrctl report` and the daemon's memory.
#
#   swift build -c release && bash Benchmarks/reports.sh [WEEKS] [RUNS]
#
# Starts a release dcrd in a temporary directory (its own socket and state), backfills WEEKS
# (default 365 ≈ 7 years) of the three default rooms with the simulator (turnover 0.028 a day,
# so that the history has > 45,000 distinct clients), then runs each report RUNS times (default
# 21) and prints the median wall time of the whole `dcrctl report` process, next to the median
# of `dcrctl status` (the same process start, connect and Hello, with a trivial answer): the
# difference is the report itself. Memory is VmRSS / VmHWM from /proc/PID/status.
set -eu
cd "$(dirname "$0")/.."
WEEKS=${1:-365}
RUNS=${2:-21}
BIN=${DCR_BIN_DIR:-.build/release}
DIR=$(mktemp -d /tmp/dcr-bench.XXXXXX)
SOCK=$DIR/dcrd.sock
ctl() { local sub=$1; shift; "$BIN/dcrctl" "$sub" --socket "$SOCK" "$@"; }
pid=""
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }
start_daemon() {
    "$BIN/dcrd" --state-dir "$DIR/state" --listen "unix:$SOCK" >>"$DIR/dcrd.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 6000); do ctl status >/dev/null 2>&1 && return 0; sleep 0.01; done
    echo "dcrd did not start" >&2; cat "$DIR/dcrd.log" >&2; exit 1
}
mem() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2 / 1024}' "/proc/$pid/status"; echo; }
median_ms() {  # command… → median wall ms of RUNS runs
    local t=()
    for _ in $(seq 1 "$RUNS"); do
        local a; a=$(ms); "$@" >/dev/null; t+=($(( $(ms) - a )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

start_daemon
a=$(ms)
ctl simulate --backfill "$WEEKS" --speed 0 --seed 1 --turnover 0.028
echo "backfill: $(( $(ms) - a )) ms"
ctl status | grep -iE "stored|intake|incident|referral|release" || true
echo "memory after backfill: $(mem)"

today=$(date +%F)
from=$(date -d "$((WEEKS * 7)) days ago" +%F)
echo "distinct clients $from – $today: $(ctl report clients --from "$from" --to "$today" --json | sed -E 's/.*"total":([0-9]+).*/\1/')"

base=$(median_ms ctl status)
echo "dcrctl status (baseline: process, connect, Hello): ${base} ms median of $RUNS"
run() {
    local t; t=$(median_ms ctl report "$@" --json)
    printf '%5d ms  (%+d ms over baseline)  report %s\n' "$t" $((t - base)) "$*"
}
run clients --from "$from" --to "$today" --by year,gender
run intakes --from "$from" --to "$today" --by week
run incidents --from "$from" --to "$today" --by incident-kind,victim-gender
run intakes --from "$from" --to "$today" --by site,hour
run clients --from "$from" --to "$today" --by site,age
run referrals --from "$from" --to "$today" --by target
run intakes --from "$from" --to "$today" --by date
run intakes --from "$from" --to "$today" --by date,substance,route
run intakes --from "$today" --to "$today" --by site,hour
echo "memory after reports: $(mem)"

kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
a=$(ms); start_daemon
echo "restart (replay of the whole history) until it answers: $(( $(ms) - a )) ms; memory: $(mem)"

# The council's document over the whole history (issue 14: under 2 s), beside the baseline.
doc() {
    local t; t=$(median_ms ctl document "$@" --output "$DIR/doc.html")
    printf '%5d ms  (%+d ms over baseline)  document %s\n' "$t" $((t - base)) "$*"
}
doc year --from "$from" --to "$today"
doc year --from "$from" --to "$today" --public
doc status --from "$from" --to "$today"
