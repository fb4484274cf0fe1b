package io.cairn.server.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * etcd's disk metrics (wal/metrics.go, mvcc/backend/metrics.go), with etcd's bucket layouts: WAL fsync and
 * backend commit 1 ms..8.192 s, defrag 100 ms..409.6 s, snapshot 10 ms..655.36 s (factor 2 each).
 */
final class DiskMetrics {
    private final Histogram walFsync;
    private final Gauge walWriteBytes;
    private final Histogram backendCommit;
    private final Histogram backendDefrag;
    private final Histogram backendSnapshot;
    private final Gauge defragInflight;

    DiskMetrics(PrometheusRegistry registry) {
        walFsync = Families.histogram(registry, "etcd_disk_wal_fsync_duration_seconds",
            "The latency distributions of fsync called by WAL.", 0.001, 2, 14);
        walWriteBytes = Families.gauge(registry, "etcd_disk_wal_write_bytes_total",
            "Total number of bytes written in WAL.");
        backendCommit = Families.histogram(registry, "etcd_disk_backend_commit_duration_seconds",
            "The latency distributions of commit called by backend.", 0.001, 2, 14);
        backendDefrag = Families.histogram(registry, "etcd_disk_backend_defrag_duration_seconds",
            "The latency distribution of backend defragmentation.", 0.1, 2, 13);
        backendSnapshot = Families.histogram(registry, "etcd_disk_backend_snapshot_duration_seconds",
            "The latency distribution of backend snapshots.", 0.01, 2, 17);
        defragInflight = Families.gauge(registry, "etcd_disk_defrag_inflight",
            "Whether or not defrag is active on the member. 1 means active, 0 means not.");
    }

    void walFsync(long nanos) {
        walFsync.observe(Families.seconds(nanos));
    }

    void walWritten(long bytes) {
        walWriteBytes.inc(bytes);
    }

    void backendCommit(long nanos) {
        backendCommit.observe(Families.seconds(nanos));
    }

    void defragStarted() {
        defragInflight.set(1);
    }

    void defragFinished(long nanos) {
        defragInflight.set(0);
        backendDefrag.observe(Families.seconds(nanos));
    }

    void snapshot(long nanos) {
        backendSnapshot.observe(Families.seconds(nanos));
    }
}
