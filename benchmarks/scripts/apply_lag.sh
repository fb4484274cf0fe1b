#!/usr/bin/env bash
# apply_lag.sh: a fresh local cluster and one `etcdctl check perf --load=m`, while each member's /metrics is polled
# (every ~0.25 s plus the scrape time): prints seconds since the start, then per client port whether it leads and
# committed minus applied entries (benchmarks/results/server.md, session 11). Needs etcdctl.
set -uo pipefail
source "$(dirname "$0")/fresh_cluster.sh"
fresh_cluster ""
start=$(date +%s.%N)
(
  while true; do
    line=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%6.1f s", a - b }')
    for port in 2379 22379 32379; do
      line+=$(curl -s --max-time 1 "127.0.0.1:$port/metrics" | awk -v p="$port" '
        /^etcd_server_is_leader / { lead = $2 } /^etcd_server_proposals_applied_total / { a = $2 }
        /^etcd_server_proposals_committed_total / { c = $2 }
        END { if (c == "") printf " | %s -", p; else printf " | %s leader=%d lag=%d", p, lead, c - a }')
    done
    echo "$line"
    sleep 0.25
  done
) &
poller=$!
ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379 check perf --load=m 2>&1 |
  grep -E "Throughput|Slowest|Stddev" >&2
kill "$poller"
purge_cluster
