package io.cairn.mvcc;

import io.cairn.backend.Bucket;
import java.util.Arrays;

/**
 * The revisions that a stream of backend entries (a snapshot read in bucket and key order) holds, worked out as
 * {@link KvStore#open} works them out: the store's revision is the newest main revision in the key bucket, or
 * the finished compaction if that is newer (its revisions may all have been compacted away), and at least 1.
 * Feed it every entry with {@link #entry}. Not thread-safe.
 */
public final class StoreRevisions {
    private long newestKeyRevision;
    private long finishedCompaction = -1;
    private long consistentIndex;

    /** The store's current revision, given the newest key-bucket main revision and the finished compaction. */
    static long current(long newestKeyRevision, long finishedCompaction) {
        return Math.max(newestKeyRevision, Math.max(finishedCompaction, 1));
    }

    /** Takes one entry into account; entries of buckets other than key and meta are ignored. */
    public void entry(Bucket bucket, byte[] key, byte[] value) {
        if (bucket.equals(Bucket.KEY)) {
            newestKeyRevision = Math.max(newestKeyRevision, RevisionKeys.decode(key).main());
        } else if (bucket.equals(Bucket.META)) {
            if (Arrays.equals(key, MetaKeys.FINISHED_COMPACT)) {
                finishedCompaction = RevisionKeys.decode(value).main();
            } else if (Arrays.equals(key, MetaKeys.CONSISTENT_INDEX)) {
                consistentIndex = MetaKeys.uint64(value);
            }
        }
    }

    /** The revision the store is at: what {@link KvStore#currentRevision()} returns after opening it. */
    public long revision() {
        return current(newestKeyRevision, finishedCompaction);
    }

    /** The finished compaction's revision, or -1 when never compacted. */
    public long compactedRevision() {
        return finishedCompaction;
    }

    /** The raft index the store had applied (0 when none was saved). */
    public long consistentIndex() {
        return consistentIndex;
    }
}
