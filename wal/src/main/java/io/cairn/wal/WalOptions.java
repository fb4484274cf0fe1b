package io.cairn.wal;

/**
 * Limits and sizes of the WAL and the snapshot files. Built once (by the server from etcd's flags), validated on
 * construction, immutable.
 *
 * @param segmentSizeBytes size a segment is preallocated to and cut at (etcd: 64 MB)
 * @param maxWalFiles segment files kept after a release, 0 = unlimited (etcd {@code --max-wals}, default 5);
 *     segments still needed for recovery are never deleted whatever this says
 * @param preallocate keep the tail zero-filled a step ahead of its records, up to {@code segmentSizeBytes}, so
 *     syncs touch data blocks only (see the package doc)
 * @param maxRecordBytes largest record accepted on write and on read: the sanity limit that keeps garbage length
 *     words from causing huge allocations; must exceed the server's max request bytes plus entry overhead
 * @param maxSnapshotFiles {@code .snap} files kept by {@link Snapshotter#purge()}, 0 = unlimited (etcd
 *     {@code --max-snapshots}, default 5)
 * @param maxSnapshotFileBytes largest {@code .snap} file read into memory (not the backend image, streamed)
 */
public record WalOptions(long segmentSizeBytes, int maxWalFiles, boolean preallocate, int maxRecordBytes,
                         int maxSnapshotFiles, int maxSnapshotFileBytes) {

    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_WAL_FILES = 5;
    /** 10 MiB (etcd's recommended ceiling for --max-request-bytes) plus 1 MiB of margin for entry framing. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 11 * 1024 * 1024;
    public static final int DEFAULT_MAX_SNAPSHOT_FILES = 5;
    public static final int DEFAULT_MAX_SNAPSHOT_FILE_BYTES = 512 * 1024 * 1024;
    /** Below this a segment cannot hold its header and a few records. */
    public static final long MIN_SEGMENT_SIZE_BYTES = 4096;
    /** A frame's length word has 56 bits, but a Java array (one frame is read into one) ends near 2^31. */
    public static final int MAX_RECORD_BYTES_LIMIT = Integer.MAX_VALUE - 64;

    public WalOptions {
        require(segmentSizeBytes >= MIN_SEGMENT_SIZE_BYTES && segmentSizeBytes % 8 == 0,
            "segmentSizeBytes %d must be >= %d and a multiple of 8", segmentSizeBytes, MIN_SEGMENT_SIZE_BYTES);
        require(maxWalFiles >= 0, "maxWalFiles %d must be >= 0", maxWalFiles);
        require(maxRecordBytes >= 1024 && maxRecordBytes <= MAX_RECORD_BYTES_LIMIT,
            "maxRecordBytes %d must be in [1024, %d]", maxRecordBytes, MAX_RECORD_BYTES_LIMIT);
        require(maxSnapshotFiles >= 0, "maxSnapshotFiles %d must be >= 0", maxSnapshotFiles);
        require(maxSnapshotFileBytes >= 1024, "maxSnapshotFileBytes %d must be >= 1024", maxSnapshotFileBytes);
    }

    /** etcd's defaults. */
    public static WalOptions defaults() {
        return new WalOptions(DEFAULT_SEGMENT_SIZE_BYTES, DEFAULT_MAX_WAL_FILES, true, DEFAULT_MAX_RECORD_BYTES,
            DEFAULT_MAX_SNAPSHOT_FILES, DEFAULT_MAX_SNAPSHOT_FILE_BYTES);
    }

    public WalOptions withSegmentSizeBytes(long bytes) {
        return new WalOptions(bytes, maxWalFiles, preallocate, maxRecordBytes, maxSnapshotFiles,
            maxSnapshotFileBytes);
    }

    public WalOptions withMaxWalFiles(int files) {
        return new WalOptions(segmentSizeBytes, files, preallocate, maxRecordBytes, maxSnapshotFiles,
            maxSnapshotFileBytes);
    }

    public WalOptions withPreallocate(boolean enabled) {
        return new WalOptions(segmentSizeBytes, maxWalFiles, enabled, maxRecordBytes, maxSnapshotFiles,
            maxSnapshotFileBytes);
    }

    public WalOptions withMaxRecordBytes(int bytes) {
        return new WalOptions(segmentSizeBytes, maxWalFiles, preallocate, bytes, maxSnapshotFiles,
            maxSnapshotFileBytes);
    }

    public WalOptions withMaxSnapshotFiles(int files) {
        return new WalOptions(segmentSizeBytes, maxWalFiles, preallocate, maxRecordBytes, files,
            maxSnapshotFileBytes);
    }

    private static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException("wal: invalid options: " + String.format(format, args));
        }
    }
}
