#!/usr/bin/env bash
# Durable acknowledged events per second: dcrd against Redis doing the same work per event, side
# by side in one run (issue 10, acceptance 3), and dcrd's CPU time per acknowledged event
# (acceptance 6).
#
#   Benchmarks/ingest-vs-redis.sh [ROUNDS] [SECONDS]        (defaults 3, 8)
#   BASELINE=dir Benchmarks/ingest-vs-redis.sh             also runs dir/dcrd in every round
#   BASELINE_CONF='commit-max-delay-us 1000'               extra dcrd.conf lines for the baseline
#                                                          (BASELINE=.build/release: one build, two settings)
#
# dcrd: a release build, its store on the real disk (synchronous=FULL: an Ack means fsynced),
# driven by `dcr-load wire-throughput --connections 8 --in-flight 64 --ids v7` over the Unix socket.
# Redis: Debian's redis-server, `appendonly yes`, `appendfsync always`, driven by
# `redis-benchmark -c 8 -P 64` over a Unix socket, one EVALSHA per event that does what dcrd
# does: dedupe by id (SET NX), two counters (INCR), distinct clients (PFADD), append the event
# (XADD). Both load generators run on the same cores as their server.
#
# Rounds alternate the order (dcrd first, then Redis first, ...) so that a machine getting busier
# or quieter does not favour one. The ratio printed is dcrd ÷ Redis per round, then the median.
# CPU per event is utime+stime of the dcrd process over the load (from /proc), ÷ every event
# acknowledged during it (the client's warm-up second included).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_EACH=${2:-8}
BIN=${BIN:-.build/release}
BASELINE=${BASELINE:-}
# wire-throughput: dcr-load's lean client (blocking threads, one write per read's worth of Acks,
# frames patched from pre-encoded templates as redis-benchmark patches its placeholders), about
# 0.4 µs of CPU per event; `LOAD_MODE=throughput` uses the client through DaemonConnection
# (about 15 µs per event), as this script did before 2026-12-07 evening.
LOAD_MODE=${LOAD_MODE:-wire-throughput}
for tool in redis-server redis-benchmark redis-cli; do
  command -v $tool >/dev/null || { echo "ingest-vs-redis.sh: $tool is not installed (make deps)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/dcr-vs-redis.XXXXXX)
cleanup() {
  for f in "$work"/*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
tick=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

wait_for() { # $1: file, $2: text, $3: pid
  local deadline=$((SECONDS + 60))
  until grep -qi "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "ingest-vs-redis.sh: the server exited:" >&2; cat "$1" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "ingest-vs-redis.sh: no '$2' in $1 within 60 s" >&2; exit 1; }
    sleep 0.05
  done
}

# Prints "ACKED_PER_S CPU_US_PER_EVENT" for the dcrd in $1, with the extra configuration lines $2.
run_dcrd() {
  local bin=$1 dir=$work/dcrd
  rm -rf "$dir"; mkdir -p "$dir"
  printf 'listen unix:%s\nstate-dir %s\nlog-level notice\nmax-in-flight 100000\n%s\n' "$dir/dcrd.sock" "$dir/state" "${2:-}" > "$dir/dcrd.conf"
  "$bin/dcrd" --config "$dir/dcrd.conf" > "$dir/dcrd.log" 2>&1 &
  local pid=$!
  echo $pid > "$work/dcrd.pid"
  wait_for "$dir/dcrd.log" ready $pid
  local before; before=$(cpu_ticks $pid)
  local out; out=$("$BIN/dcr-load" "$LOAD_MODE" --connections 8 --in-flight 64 --seconds "$SECONDS_EACH" --ids v7 --socket "$dir/dcrd.sock")
  local after; after=$(cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  : > "$work/dcrd.pid"
  local acked rate
  # The CPU was taken over the whole load, warm-up included: divide by every Ack of it
  # (wire-throughput prints all-acked; the older client only its measured count).
  acked=$(sed -n 's/.* all-acked=\([0-9]*\).*/\1/p' <<<"$out")
  [ -n "$acked" ] || acked=$(sed -n 's/.* acked=\([0-9]*\) .*/\1/p' <<<"$out")
  rate=$(sed -n 's/.*acked\/s=\([0-9]*\).*/\1/p' <<<"$out")
  echo "$rate $(awk -v t=$((after - before)) -v hz="$tick" -v n="$acked" 'BEGIN{printf "%.1f", t * 1000000 / hz / n}')"
}

# Prints the EVALSHAs per second Redis acknowledged.
run_redis() {
  local dir=$work/redis
  rm -rf "$dir"; mkdir -p "$dir"
  redis-server --port 0 --unixsocket "$dir/redis.sock" --dir "$dir" --appendonly yes --appendfsync always \
    --save '' --daemonize no --logfile "$dir/redis.log" > /dev/null 2>&1 &
  local pid=$!
  echo $pid > "$work/redis.pid"
  wait_for "$dir/redis.log" "ready to accept connections" $pid
  local sha
  sha=$(redis-cli -s "$dir/redis.sock" SCRIPT LOAD "
    if redis.call('SET', 'event:' .. ARGV[1], 1, 'NX') then
      redis.call('INCR', 'intakes:H17')
      redis.call('INCR', 'intakes:H17:today')
      redis.call('PFADD', 'clients:H17', ARGV[2])
      redis.call('XADD', 'events', '*', 'id', ARGV[1], 'site', 'H17', 'client', ARGV[2], 'kind', 'intake')
      return 1
    end
    return 0")
  # As many requests as dcrd could do in the same time at twice Redis's expected rate; -r makes
  # every id (and client) a random one of 10^9.
  local n=$(( SECONDS_EACH * 60000 ))
  local out
  out=$(redis-benchmark -s "$dir/redis.sock" -c 8 -P 64 -n $n -r 1000000000 --csv \
        EVALSHA "$sha" 0 __rand_int__ __rand_int__ 2>/dev/null | tail -n 1)
  kill $pid; wait $pid 2>/dev/null || true
  : > "$work/redis.pid"
  cut -d, -f2 <<<"$out" | tr -d '"' | cut -d. -f1
}

echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $ROUNDS rounds of $SECONDS_EACH s each; dcrd: $BIN/dcrd${BASELINE:+; baseline: $BASELINE/dcrd}${BASELINE_CONF:+ with '$BASELINE_CONF'}; load generator: dcr-load $LOAD_MODE"
ratios=(); cpu_ratios=()
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then
    read -r d cpu < <(run_dcrd "$BIN"); r=$(run_redis)
  else
    r=$(run_redis); read -r d cpu < <(run_dcrd "$BIN")
  fi
  line="round $round: dcrd $d acked/s ($cpu us CPU per event), redis $r/s, dcrd/redis $(awk -v a="$d" -v b="$r" 'BEGIN{printf "%.2f", a/b}')"
  ratios+=("$(awk -v a="$d" -v b="$r" 'BEGIN{printf "%.3f", a/b}')")
  if [ -n "$BASELINE" ]; then
    read -r bd bcpu < <(run_dcrd "$BASELINE" "${BASELINE_CONF:-}")
    line+="; baseline $bd acked/s ($bcpu us CPU per event), CPU per event new/baseline $(awk -v a="$cpu" -v b="$bcpu" 'BEGIN{printf "%.2f", a/b}')"
    cpu_ratios+=("$(awk -v a="$cpu" -v b="$bcpu" 'BEGIN{printf "%.3f", a/b}')")
  fi
  echo "$line"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median dcrd/redis: $(median "${ratios[@]}") (target >= 2)"
[ -z "$BASELINE" ] || echo "median CPU per event new/baseline: $(median "${cpu_ratios[@]}")"
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
