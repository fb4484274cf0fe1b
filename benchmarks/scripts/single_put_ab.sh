#!/usr/bin/env bash
# single_put_ab.sh LABEL "JAVA_OPTS": one member (client port 43379, a temporary data dir) with
# CAIRN_JAVA_OPTS=JAVA_OPTS, 150,000 puts of warm-up, then three rounds of 100,000 puts from 1,000 clients on 100
# connections, and the member's CPU seconds. Alternate two labels for an A/B (benchmarks/results/server.md, session 11).
set -uo pipefail
label=$1; opts=$2
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
CAIRN_JAVA_OPTS="$opts" bin/cairn --data-dir "$dir/data" --listen-client-urls http://127.0.0.1:43379 \
  --advertise-client-urls http://127.0.0.1:43379 --listen-peer-urls http://127.0.0.1:43380 >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do curl -s 127.0.0.1:43379/health | grep -q '"health":"true"' && break; sleep 0.3; done
load=(bin/cairn-bench load --endpoints=127.0.0.1:43379 --conns=100 --clients=1000)
put=(put --key-size=8 --val-size=256 --key-space-size=100000)
"${load[@]}" "${put[@]}" --total=150000 >/dev/null 2>&1
for r in 1 2 3; do
  echo "$label r$r: $("${load[@]}" "${put[@]}" --total=100000 2>&1 | grep -E 'Requests/sec|Average|99%' |
    tr -s ' \t' ' ' | tr '\n' ' ')"
done
echo "$label cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat")s"
kill "$pid"; wait "$pid" 2>/dev/null; rm -rf "$dir"
