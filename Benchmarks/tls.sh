#!/bin/bash
# TLS against plain TCP, side by side (Benchmarks/README.md, "TLS: the cost of encryption").
# One dcrd with a tcp: and a tls: listener on loopback, one store, driven by dcr-load over each in
# turn, alternating for ROUNDS rounds so that whatever else the machine does hits both alike.
# Prints each run, then the medians and the ratios TLS/TCP of acknowledged events/s (throughput)
# and of p99 acknowledgement latency (at a fixed rate).
#   swift build -c release && Benchmarks/tls.sh           (BIN=.build/debug for a debug build)
set -euo pipefail
BIN=${BIN:-.build/release}
WORK=${WORK:-.build/bench-tls}
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-5}
RATE=${RATE:-2000}
CONNECTIONS=${CONNECTIONS:-4}
rm -rf "$WORK"; mkdir -p "$WORK"
here=$(cd "$(dirname "$0")/.." && pwd)
certs="$WORK/tls"
bash "$here/Deploy/dcr-tls-certs" "$certs" ca
bash "$here/Deploy/dcr-tls-certs" "$certs" server dcrd 127.0.0.1 localhost
bash "$here/Deploy/dcr-tls-certs" "$certs" terminal booth-bench
token=bench-terminal-token-0123456789
echo "$token" > "$WORK/terminal.token"
cat > "$WORK/dcrd.conf" <<CONF
listen unix:$WORK/dcrd.sock
listen tcp:127.0.0.1:0
listen tls:127.0.0.1:0
state-dir $WORK/state
site H17 12
log-level notice
max-in-flight 100000
token bench terminal $WORK/terminal.token
tls-certificate $certs/dcrd.pem
tls-key $certs/dcrd.key
tls-client-ca $certs/ca.pem
tls-client booth-bench terminal
CONF
"$BIN/dcrd" --config "$WORK/dcrd.conf" > "$WORK/dcrd.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
i=0; until grep -q "ready" "$WORK/dcrd.log" 2>/dev/null; do i=$((i+1)); [ $i -lt 6000 ] || { cat "$WORK/dcrd.log"; exit 1; }; sleep 0.01; done
ready=$(grep "ready" "$WORK/dcrd.log")
tcp_port=$(echo "$ready" | sed -E 's/.*[^_]ports="?\[([0-9]+).*/\1/')
tls_port=$(echo "$ready" | sed -E 's/.*tls_ports="?\[([0-9]+).*/\1/')

tcp() { "$BIN/dcr-load" "$@" --connect "tcp:127.0.0.1:$tcp_port" --token-file "$WORK/terminal.token"; }
tls() { "$BIN/dcr-load" "$@" --connect "tls:127.0.0.1:$tls_port" --ca "$certs/ca.pem" --cert "$certs/booth-bench.pem" --key "$certs/booth-bench.key"; }
field() { sed -E "s|.*$1=([0-9.]+).*|\1|"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "# machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(uname -r); build $BIN"
echo "# load before: $(uptime)"
echo "# $ROUNDS rounds; throughput: $CONNECTIONS connections x 64 in flight, ${SECONDS_EACH}s; latency: $RATE events/s, ${SECONDS_EACH}s"
: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
  for transport in tcp tls; do
    t=$($transport throughput --connections "$CONNECTIONS" --in-flight 64 --seconds "$SECONDS_EACH")
    l=$($transport latency --rate "$RATE" --seconds "$SECONDS_EACH")
    echo "round $round $transport: $t"
    echo "round $round $transport: $l"
    echo "$transport $(echo "$t" | field 'acked/s') $(echo "$l" | field p99 | tr -d us) $(echo "$l" | field p50 | tr -d us)" >> "$WORK/results"
  done
done
echo "# load after: $(uptime)"
for transport in tcp tls; do
  eval "${transport}_rate=$(awk -v t=$transport '$1==t {print $2}' "$WORK/results" | median)"
  eval "${transport}_p99=$(awk -v t=$transport '$1==t {print $3}' "$WORK/results" | median)"
  eval "${transport}_p50=$(awk -v t=$transport '$1==t {print $4}' "$WORK/results" | median)"
done
printf 'median acked/s     tcp %.0f  tls %.0f  ratio tls/tcp %.2f\n' "$tcp_rate" "$tls_rate" "$(awk -v a="$tls_rate" -v b="$tcp_rate" 'BEGIN {print a / b}')"
printf 'median p50 latency tcp %.0fus  tls %.0fus  ratio tls/tcp %.2f\n' "$tcp_p50" "$tls_p50" "$(awk -v a="$tls_p50" -v b="$tcp_p50" 'BEGIN {print a / b}')"
printf 'median p99 latency tcp %.0fus  tls %.0fus  ratio tls/tcp %.2f\n' "$tcp_p99" "$tls_p99" "$(awk -v a="$tls_p99" -v b="$tcp_p99" 'BEGIN {print a / b}')"
