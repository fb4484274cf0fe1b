package io.cairn.server.metrics;

/**
 * What the scrape-time gauges read from a running member. Every method is called on the scraping thread, so
 * each must be cheap and thread-safe; a backend that is already closed may throw
 * {@link io.cairn.backend.BackendException.Closed}, which drops that sample.
 */
public interface MemberReadings {

    /** etcd_mvcc_db_total_size_in_bytes: bytes the backend's files take on disk. */
    long dbSizeBytes();

    /** etcd_mvcc_db_total_size_in_use_in_bytes: bytes holding live data. */
    long dbSizeInUseBytes();

    /** etcd_debugging_mvcc_keys_total: keys in the key index (deleted keys included until compacted). */
    long keys();

    /** etcd_debugging_mvcc_current_revision. */
    long currentRevision();

    /** etcd_debugging_mvcc_compact_revision: the last compaction's revision, -1 when never compacted. */
    long compactRevision();

    /** etcd_server_quota_backend_bytes: the effective quota, 0 when the quota is disabled (etcd leaves it unset). */
    long quotaBackendBytes();

    /** etcd_debugging_auth_revision: the auth store's revision (moves with every user, role or enable change). */
    long authRevision();
}
