package io.cairn.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * etcd's server-loop metrics (server/etcdserver/metrics.go): leader, proposals, slow applies. Proposals committed
 * and applied are gauges holding raft indexes, as in etcd, despite their {@code _total} names.
 */
final class RaftMetrics {
    private final Gauge hasLeader;
    private final Gauge isLeader;
    private final Counter leaderChanges;
    private final Counter heartbeatSendFailures;
    private final Counter slowApplies;
    private final Gauge proposalsCommitted;
    private final Gauge proposalsApplied;
    private final Gauge proposalsPending;
    private final Counter proposalsFailed;
    private final Gauge peerLag;

    RaftMetrics(PrometheusRegistry registry) {
        hasLeader = Families.gauge(registry, "etcd_server_has_leader",
            "Whether or not a leader exists. 1 is existence, 0 is not.");
        isLeader = Families.gauge(registry, "etcd_server_is_leader",
            "Whether or not this member is a leader. 1 if is, 0 otherwise.");
        leaderChanges = Families.counter(registry, "etcd_server_leader_changes_seen_total",
            "The number of leader changes seen.");
        heartbeatSendFailures = Families.counter(registry, "etcd_server_heartbeat_send_failures_total",
            "The total number of leader heartbeat send failures (likely overloaded from slow disk).");
        slowApplies = Families.counter(registry, "etcd_server_slow_apply_total",
            "The total number of slow apply requests (likely overloaded from slow disk).");
        proposalsCommitted = Families.gauge(registry, "etcd_server_proposals_committed_total",
            "The total number of consensus proposals committed.");
        proposalsApplied = Families.gauge(registry, "etcd_server_proposals_applied_total",
            "The total number of consensus proposals applied.");
        proposalsPending = Families.gauge(registry, "etcd_server_proposals_pending",
            "The current number of pending proposals to commit.");
        proposalsFailed = Families.counter(registry, "etcd_server_proposals_failed_total",
            "The total number of failed proposals seen.");
        peerLag = Gauge.builder().name("cairn_server_peer_lag_entries")
            .help("On the leader: raft entries each follower or learner still has to receive (catch-up progress).")
            .labelNames("To", "learner").register(registry);
    }

    void peerLag(Map<String, Long> lagByPeer, java.util.Set<String> learners) {
        peerLag.clear();
        lagByPeer.forEach((peer, lag) -> peerLag.labelValues(peer, Boolean.toString(learners.contains(peer)))
            .set(lag));
    }

    void hasLeader(boolean yes) {
        hasLeader.set(yes ? 1 : 0);
    }

    void isLeader(boolean yes) {
        isLeader.set(yes ? 1 : 0);
    }

    void leaderChanged() {
        leaderChanges.inc();
    }

    void heartbeatSendFailed() {
        heartbeatSendFailures.inc();
    }

    void slowApply() {
        slowApplies.inc();
    }

    void committed(long index) {
        proposalsCommitted.set(index);
    }

    void applied(long index) {
        proposalsApplied.set(index);
    }

    void pending(int delta) {
        proposalsPending.inc(delta);
    }

    void failed() {
        proposalsFailed.inc();
    }
}
