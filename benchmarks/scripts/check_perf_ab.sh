#!/usr/bin/env bash
# check_perf_ab.sh LABEL "JAVA_OPTS" [RUNS]: a fresh local cluster (tools/cluster.sh down --purge; up) with
# CAIRN_JAVA_OPTS=JAVA_OPTS, then `etcdctl check perf --load=m` RUNS times (default 1; the second run is the warm
# one), each line with the members' CPU seconds since they started; the cluster is purged afterwards.
# Alternate two labels for an A/B (benchmarks/results/server.md, session 11). Needs etcdctl.
set -uo pipefail
label=$1; opts=$2; runs=${3:-1}
source "$(dirname "$0")/fresh_cluster.sh"
fresh_cluster "$opts"
for r in $(seq 1 "$runs"); do
  out=$(ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379 check perf --load=m 2>&1 |
    grep -E "Throughput|Slowest|Stddev|PASS$|FAIL$" | tr '\n' ' ')
  ticks=0
  for f in "$CAIRN_CLUSTER_DIR"/run/m*.pid; do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$(cat "$f")/stat")))
  done
  echo "$label run$r cpu=$((ticks / $(getconf CLK_TCK)))s :: $out"
done
purge_cluster
