package io.cairn.wal;

/**
 * What the WAL reports for metrics (etcd's {@code wal_fsync_duration_seconds}, {@code wal_write_bytes_total}).
 * Called on the WAL's thread, synchronously: implementations must be cheap and must not call back into the WAL.
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
