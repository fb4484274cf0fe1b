package io.cairn.server.metrics;

import io.cairn.backend.BackendException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One member's metrics under etcd's names: owns the {@link PrometheusRegistry} (one per member, never the global
 * default, so members in one JVM do not mix) and every metric object, and offers plain methods that the rest of
 * the server calls. Groups: raft and proposals (this class), disk ({@link #walFsync}, {@link #backendCommit},
 * wired through {@link MeteredBackend}), {@link #mvcc()}, {@link #grpc()}, health checks and process basics.
 * Gauges that describe the member (sizes, keys, revisions, quota) are read at scrape time from the
 * {@link MemberReadings} given to {@link #readFrom}. See the package documentation for the metric list.
 * Thread-safe.
 */
public final class ServerMetrics {
    /** The exposition content type etcd serves: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final LongSupplier nanoClock;
    private final RaftMetrics raft;
    private final DiskMetrics disk;
    private final MvccMetrics mvcc;
    private final GrpcMetrics grpc;
    private final HealthMetrics health;
    private volatile MemberReadings readings;

    /**
     * @param memberId this member's ID, reported as {@code etcd_server_id{server_id="<hex>"} 1}
     * @param serverVersion the etcd version answered ({@code etcd_server_version{server_version}})
     * @param clusterVersion the cluster version; reported as major.minor, as etcd does
     *     ({@code etcd_cluster_version{cluster_version="3.5"}})
     * @param nanoClock the monotonic clock that times durations measured here
     */
    public ServerMetrics(long memberId, String serverVersion, String clusterVersion, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.raft = new RaftMetrics(registry);
        this.disk = new DiskMetrics(registry);
        this.mvcc = new MvccMetrics(registry, this::readings);
        this.grpc = new GrpcMetrics(registry);
        this.health = new HealthMetrics(registry);
        Families.gauge(registry, "etcd_server_version",
            "Which version is running. 1 for 'server_version' label with current version.", "server_version")
            .labelValues(serverVersion).set(1);
        Families.gauge(registry, "etcd_cluster_version",
            "Which version is running. 1 for 'cluster_version' label with current cluster version",
            "cluster_version").labelValues(majorMinor(clusterVersion)).set(1);
        Families.gauge(registry, "etcd_server_id",
            "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.", "server_id")
            .labelValues(Long.toHexString(memberId)).set(1);
        Families.onScrape(registry, "etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.",
            () -> readings().quotaBackendBytes());
        Families.onScrape(registry, "etcd_debugging_auth_revision", "The current revision of auth store.",
            () -> readings().authRevision());
        ProcessMetrics.register(registry);
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        return parts.length < 2 ? version : parts[0] + "." + parts[1];
    }

    /** Where the scrape-time gauges read from; call once the member's stores are open. */
    public void readFrom(MemberReadings source) {
        this.readings = Objects.requireNonNull(source, "source");
    }

    private MemberReadings readings() {
        MemberReadings r = readings;
        if (r == null) {
            throw new BackendException.Closed("member not open yet");
        }
        return r;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The injected monotonic clock, for callers timing what they report here. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Writes every metric in Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public void writeText(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    // ---- raft and WAL path: the raft loop calls these -------------------------------------------------------

    /** etcd_disk_wal_fsync_duration_seconds: one WAL fsync took {@code nanos}. */
    public void walFsync(long nanos) {
        disk.walFsync(nanos);
    }

    /** etcd_disk_wal_write_bytes_total: {@code bytes} more were written to the WAL. */
    public void walWritten(long bytes) {
        disk.walWritten(bytes);
    }

    /** etcd_server_proposals_committed_total: raft's commit index is now {@code committedIndex}. */
    public void proposalsCommitted(long committedIndex) {
        raft.committed(committedIndex);
    }

    /** etcd_server_proposals_applied_total: entries are applied through {@code appliedIndex}. */
    public void proposalsApplied(long appliedIndex) {
        raft.applied(appliedIndex);
    }

    /** etcd_server_proposals_pending: +1 when a proposal is handed to raft, -1 when it is applied or fails. */
    public void proposalPending(int delta) {
        raft.pending(delta);
    }

    /** etcd_server_proposals_failed_total: a proposal failed (dropped, timed out, leader changed). */
    public void proposalFailed() {
        raft.failed();
    }

    /** etcd_server_leader_changes_seen_total: raft reported a different leader (also the first one). */
    public void leaderChanged() {
        raft.leaderChanged();
    }

    /** etcd_server_has_leader. */
    public void hasLeader(boolean yes) {
        raft.hasLeader(yes);
    }

    /** etcd_server_is_leader. */
    public void isLeader(boolean yes) {
        raft.isLeader(yes);
    }

    /** etcd_server_slow_apply_total: an apply took longer than etcd's 100 ms warning threshold. */
    public void slowApply() {
        raft.slowApply();
    }

    /** etcd_server_heartbeat_send_failures_total. */
    public void heartbeatSendFailed() {
        raft.heartbeatSendFailed();
    }

    // ---- backend, via MeteredBackend -----------------------------------------------------------------------

    /** etcd_disk_backend_commit_duration_seconds: one backend commit took {@code nanos}. */
    public void backendCommit(long nanos) {
        disk.backendCommit(nanos);
    }

    /** etcd_disk_defrag_inflight becomes 1. */
    public void defragStarted() {
        disk.defragStarted();
    }

    /** etcd_disk_defrag_inflight back to 0; etcd_disk_backend_defrag_duration_seconds observes {@code nanos}. */
    public void defragFinished(long nanos) {
        disk.defragFinished(nanos);
    }

    /** etcd_disk_backend_snapshot_duration_seconds: writing one backend snapshot took {@code nanos}. */
    public void backendSnapshot(long nanos) {
        disk.snapshot(nanos);
    }

    // ---- health endpoints ----------------------------------------------------------------------------------

    /** etcd_server_health_success / etcd_server_health_failures: one /health answer. */
    public void healthChecked(boolean healthy) {
        health.health(healthy);
    }

    /** etcd_server_healthcheck{type,name} and etcd_server_healthchecks_total{type,name,status}. */
    public void healthCheckRan(String type, String name, boolean ok) {
        health.check(type, name, ok);
    }

    public MvccMetrics mvcc() {
        return mvcc;
    }

    public GrpcMetrics grpc() {
        return grpc;
    }

    /**
     * The leader's view of each peer's catch-up ({@code cairn_server_peer_lag_entries}, by hex member ID); empty
     * elsewhere.
     */
    public void peerLag(java.util.Map<String, Long> lagByPeer, java.util.Set<String> learners) {
        raft.peerLag(lagByPeer, learners);
    }

    /**
     * etcd's peer network counters, read at scrape time: {@code counters} maps each peer (hex member ID) to its
     * totals in this order: sent bytes, received bytes, sent failures, snapshot sends acknowledged, snapshot sends
     * failed ({@code etcd_network_peer_sent_bytes_total}, {@code _received_bytes_total},
     * {@code _sent_failures_total}, {@code etcd_network_snapshot_send_success}, {@code _failures}).
     */
    public void peerNetwork(java.util.function.Supplier<java.util.Map<String, long[]>> counters) {
        String[][] families = {
            {"etcd_network_peer_sent_bytes_total", "The total number of bytes sent to peers."},
            {"etcd_network_peer_received_bytes_total", "The total number of bytes received from peers."},
            {"etcd_network_peer_sent_failures_total", "The total number of send failures from peers."},
            {"etcd_network_snapshot_send_success", "Total number of successful snapshot sends"},
            {"etcd_network_snapshot_send_failures", "Total number of snapshot send failures"}};
        for (int i = 0; i < families.length; i++) {
            int column = i;
            io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name(families[i][0])
                .help(families[i][1]).labelNames(i == 1 ? "From" : "To")
                .callback(cb -> counters.get().forEach((peer, values) -> cb.call(values[column], peer)))
                .register(registry);
        }
    }
}
