package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.Entry;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.util.List;

/**
 * Prepares a backend restored from a snapshot to seed a new cluster: the mvcc part of
 * {@code etcdutl snapshot restore --bump-revision N --mark-compacted} (membership is not mvcc's business). In order:
 * <ol>
 *   <li>finishes a compaction that the snapshot caught half done;</li>
 *   <li>raises the store's revision from R to R + bump. With {@code markCompacted}, the store is compacted at R
 *       (equivalent to compacting at R + bump: no revision lies between) and the compaction is recorded at
 *       R + bump in both {@code finishedCompactRev} and {@code scheduledCompactRev}: R + bump becomes current and
 *       every older revision reads as compacted, so watchers and caches of the old cluster must start over.
 *       Without it, the entries of transaction R move to R + bump (key-bucket key, {@code mod_revision}, and
 *       {@code create_revision} of keys created there), as etcd writes its marker at R + bump: history below R
 *       stays readable, and reads in [R, R + bump) see the store as it was before transaction R. A store with no
 *       entry at R (empty, or R is a compaction that removed its entries) has nothing to move, so its compaction
 *       mark moves to R + bump instead; nothing readable is lost;</li>
 *   <li>resets the consistent index and term to 0, so the new cluster applies every entry of its new raft log.</li>
 * </ol>
 * It then commits and opens the result as a {@link KvStore} to check it. Offline only: nothing else may use the
 * backend meanwhile. The caller syncs.
 */
public final class RestoreRewrite {
    /** Key-bucket entries moved per write transaction (a transaction may have changed millions of keys). */
    static final int MOVE_BATCH_ENTRIES = 10_000;

    /**
     * What the rewrite did.
     *
     * @param snapshotRevision the store's revision as restored (R)
     * @param revision the store's revision now (R + bump)
     * @param compactedRevision the store's compacted revision now, -1 when never compacted
     * @param keys live keys at {@code revision}
     */
    public record Result(long snapshotRevision, long revision, long compactedRevision, long keys) {
    }

    private RestoreRewrite() {
    }

    /**
     * Rewrites {@code backend} in place.
     *
     * @param bump how much to raise the revision by, at least 0
     * @throws IllegalArgumentException when bump is negative or the new revision would overflow
     */
    public static Result apply(Backend backend, long bump, boolean markCompacted, MvccConfig config) {
        if (bump < 0) {
            throw new IllegalArgumentException("revision bump must not be negative: " + bump);
        }
        long from;
        long to;
        try (KvStore store = KvStore.open(backend, config, LeaseAttachments.NONE)) {
            store.resumedCompaction().ifPresent(Compaction::runToCompletion);
            from = store.currentRevision();
            if (bump > Long.MAX_VALUE - from) {
                throw new IllegalArgumentException("revision bump " + bump + " overflows revision " + from);
            }
            to = from + bump;
            if (markCompacted) {
                if (store.compactedRevision() < from) {
                    store.compact(from).runToCompletion();
                }
                markCompacted(backend, to);
            } else if (bump > 0 && !moveRevision(backend, from, to)) {
                markCompacted(backend, to);
            }
        }
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.META, MetaKeys.CONSISTENT_INDEX, MetaKeys.uint64(0));
            txn.put(Bucket.META, MetaKeys.TERM, MetaKeys.uint64(0));
        }
        backend.commit();
        return check(backend, config, from, to, markCompacted);
    }

    private static void markCompacted(Backend backend, long rev) {
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.META, MetaKeys.FINISHED_COMPACT, RevisionKeys.startOf(rev));
            txn.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT, RevisionKeys.startOf(rev));
        }
    }

    /** Moves every key-bucket entry of main revision {@code from} to {@code to}; false when there was none. */
    private static boolean moveRevision(Backend backend, long from, long to) {
        RangeQuery batchQuery = RangeQuery.of(RevisionKeys.startOf(from), RevisionKeys.startOf(from + 1))
            .withLimit(MOVE_BATCH_ENTRIES);
        boolean moved = false;
        while (true) {
            List<Entry> batch;
            try (ReadTxn txn = backend.read()) {
                batch = txn.list(Bucket.KEY, batchQuery);
            }
            if (batch.isEmpty()) {
                return moved;
            }
            try (WriteTxn txn = backend.write()) {
                for (Entry e : batch) {
                    txn.delete(Bucket.KEY, e.key());
                    txn.put(Bucket.KEY, movedKey(e.key(), to), movedValue(e, from, to));
                }
            }
            moved = true;
        }
    }

    private static byte[] movedKey(byte[] key, long to) {
        Revision rev = new Revision(to, RevisionKeys.decode(key).sub());
        return RevisionKeys.isTombstone(key) ? RevisionKeys.encodeTombstone(rev) : RevisionKeys.encode(rev);
    }

    /** A tombstone holds only the key; a put gets the new mod (and create, if created then) revision. */
    private static byte[] movedValue(Entry e, long from, long to) {
        if (RevisionKeys.isTombstone(e.key())) {
            return e.value();
        }
        KeyValue kv = KeyValueCodec.decode(e.value());
        long create = kv.createRevision() == from ? to : kv.createRevision();
        return KeyValueCodec.encode(new KeyValue(kv.key(), create, to, kv.version(), kv.value(), kv.lease()));
    }

    private static Result check(Backend backend, MvccConfig config, long from, long to, boolean markCompacted) {
        try (KvStore store = KvStore.open(backend, config, LeaseAttachments.NONE)) {
            Invariants.check(store.currentRevision() == to, "restored revision %s, expected %s",
                store.currentRevision(), to);
            Invariants.check(!markCompacted || store.compactedRevision() == to,
                "restored compacted revision %s, expected %s", store.compactedRevision(), to);
            Invariants.check(store.consistentIndex() == 0 && store.resumedCompaction().isEmpty(),
                "restored consistent index %s, resumed compaction %s", store.consistentIndex(),
                store.resumedCompaction().isPresent());
            long keys;
            try (KvRead read = store.read()) {
                keys = read.range(KeyRange.from(new byte[0]), new RangeOptions(0, 0, true)).count();
            }
            return new Result(from, to, store.compactedRevision(), keys);
        }
    }
}
