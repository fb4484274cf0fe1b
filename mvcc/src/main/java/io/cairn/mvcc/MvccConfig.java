package io.cairn.mvcc;

/**
 * MVCC settings, validated once.
 *
 * @param compactionBatchLimit key-bucket entries deleted per compaction step (etcd: 1000)
 * @param restoreChunkKeys key-bucket entries read per read transaction while rebuilding the index (etcd: 10000)
 */
public record MvccConfig(int compactionBatchLimit, int restoreChunkKeys) {
    public static final MvccConfig DEFAULT = new MvccConfig(1_000, 10_000);

    public MvccConfig {
        if (compactionBatchLimit < 1 || compactionBatchLimit > 1_000_000) {
            throw new IllegalArgumentException("compactionBatchLimit must be in [1, 1000000]: "
                + compactionBatchLimit);
        }
        if (restoreChunkKeys < 1 || restoreChunkKeys > 10_000_000) {
            throw new IllegalArgumentException("restoreChunkKeys must be in [1, 10000000]: " + restoreChunkKeys);
        }
    }
}
