package io.cairn.wal;

/**
 * What the WAL reports for metrics (etcd's {@code wal_fsync_duration_seconds}, {@code wal_write_bytes_total}).
 * Called synchronously, on the WAL's thread or (for the directory sync after a release) on the context's executor:
 * implementations must be cheap, thread-safe and must not call back into the WAL.
 */
public interface WalObserver {
    WalObserver NONE = new WalObserver() { };

    /** A file or directory sync took {@code nanos}. */
    default void synced(long nanos) {
    }

    /** {@code bytes} of frames were written. */
    default void written(long bytes) {
    }

    /** A new segment {@code name} was started. */
    default void segmentCut(String name) {
    }
}
