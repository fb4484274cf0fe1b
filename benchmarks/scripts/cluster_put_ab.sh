#!/usr/bin/env bash
# cluster_put_ab.sh LABEL "JAVA_OPTS" [ROUNDS]: a fresh local cluster with CAIRN_JAVA_OPTS=JAVA_OPTS, 40,000 puts of
# warm-up, then ROUNDS (default 2) rounds of 10,000 puts at 1,000/s and 40,000 unlimited, 200 clients on 200
# connections across the three members; the cluster is purged afterwards. Alternate two labels for an A/B
# (benchmarks/results/server.md, session 11).
set -uo pipefail
label=$1; opts=$2; rounds=${3:-2}
source "$(dirname "$0")/fresh_cluster.sh"
fresh_cluster "$opts"
load=(bin/cairn-bench load --endpoints=127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379 --conns=200 --clients=200)
put=(put --key-size=8 --val-size=256 --key-space-size=100000)
summary() { grep -E 'Requests/sec|Average|Slowest|99%' | tr -s ' \t' ' ' | tr '\n' ' '; }
"${load[@]}" "${put[@]}" --total=40000 >/dev/null 2>&1
for r in $(seq 1 "$rounds"); do
  echo "$label rate1000 r$r: $("${load[@]}" "${put[@]}" --total=10000 --rate=1000 2>&1 | summary)"
  echo "$label unlimited r$r: $("${load[@]}" "${put[@]}" --total=40000 2>&1 | summary)"
done
purge_cluster
