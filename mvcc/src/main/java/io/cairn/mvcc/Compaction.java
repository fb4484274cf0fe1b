package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A scheduled compaction at {@link #revision()}, run in bounded steps so readers and writers are never held up for
 * long: the first step compacts the index, each later one deletes at most {@link MvccConfig#compactionBatchLimit()}
 * obsolete key-bucket entries in one write transaction and commits it. The caller paces the steps (etcd pauses
 * 10 ms between batches) or calls {@link #runToCompletion()}. The last step records the finished revision in the
 * meta bucket; a crash before that resumes the compaction on open. A {@link KvStore#reload()} abandons it: its
 * remaining steps do nothing and it reports done (the new contents carry their own compaction state).
 */
public final class Compaction {
    private final KvStore store;
    private final long rev;
    /** The index and store epoch it was scheduled in: a reload replaces both. */
    private final TreeIndex index;
    private final long epoch;
    private Set<Revision> keep;
    private byte[] next = RevisionKeys.startOf(0);
    private boolean done;
    private long deleted;

    /** Called under the store's write lock, or while it opens. */
    Compaction(KvStore store, long rev) {
        this.store = store;
        this.rev = rev;
        this.index = store.index();
        this.epoch = store.epoch();
    }

    public long revision() {
        return rev;
    }

    public boolean isDone() {
        return done;
    }

    /** Key-bucket entries deleted so far. */
    public long deleted() {
        return deleted;
    }

    /**
     * Runs one bounded step.
     *
     * @return true while more steps are needed
     */
    public boolean step() {
        if (done) {
            return false;
        }
        if (store.epoch() != epoch) {
            done = true; // abandoned by a reload
            return false;
        }
        if (keep == null) {
            keep = index.compact(rev);
            return true;
        }
        Backend backend = store.backend();
        int limit = store.config().compactionBatchLimit();
        List<byte[]> batch = new ArrayList<>(limit);
        try (ReadTxn txn = backend.read()) {
            txn.scan(Bucket.KEY, RangeQuery.of(next, RevisionKeys.startOf(rev + 1)).withLimit(limit), (k, v) ->
                batch.add(k));
        }
        if (!store.runInEpoch(epoch, () -> deleteBatch(backend, batch, limit))) {
            done = true; // a reload came between the scan and the delete
            return false;
        }
        backend.commit();
        if (!done) {
            byte[] last = batch.get(batch.size() - 1);
            next = new byte[last.length + 1];
            System.arraycopy(last, 0, next, 0, last.length);
        }
        return !done;
    }

    private void deleteBatch(Backend backend, List<byte[]> batch, int limit) {
        try (WriteTxn txn = backend.write()) {
            for (byte[] k : batch) {
                if (!keep.contains(RevisionKeys.decode(k))) {
                    txn.delete(Bucket.KEY, k);
                    deleted++;
                }
            }
            if (batch.size() < limit) {
                txn.put(Bucket.META, MetaKeys.FINISHED_COMPACT, RevisionKeys.startOf(rev));
                done = true;
            }
        }
    }

    /** Runs every remaining step without pausing. */
    public void runToCompletion() {
        while (step()) {
            // each step is bounded; nothing to wait for between them here
        }
    }
}
