package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The revision-keyed store (etcd's mvcc store): the key bucket holds every revision of every key (see
 * {@link RevisionKeys}), the {@link TreeIndex} maps keys to their revisions, and the meta bucket holds the
 * consistent index and compaction progress.
 *
 * <p>Ordering: a write transaction updates the index as it goes (readers never look past their start revision),
 * publishes its backend writes on close, tells the {@link ChangeListener}, and only then moves
 * {@link #currentRevision()}. A read captures the current revision before opening its backend view, so it always
 * sees everything up to that revision. Thread-safe.
 */
public final class KvStore implements AutoCloseable {
    private final Backend backend;
    private final MvccConfig config;
    private final TreeIndex index = new TreeIndex();
    private final LeaseAttachments leases;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile ChangeListener listener = ChangeListener.NONE;
    private volatile long currentRev;
    private volatile long compactMainRev = -1;
    private volatile long consistentIndex;
    private volatile long term;
    private Compaction resumed;

    private KvStore(Backend backend, MvccConfig config, LeaseAttachments leases) {
        this.backend = backend;
        this.config = config;
        this.leases = leases;
    }

    /**
     * Opens the store on {@code backend}, rebuilding the index from the key bucket. A compaction interrupted by a
     * crash is returned by {@link #resumedCompaction()} for the caller to finish.
     */
    public static KvStore open(Backend backend, MvccConfig config, LeaseAttachments leases) {
        KvStore store = new KvStore(backend, config, leases);
        store.restore();
        return store;
    }

    private void restore() {
        long scheduled = 0;
        try (ReadTxn txn = backend.read()) {
            consistentIndex = txn.get(Bucket.META, MetaKeys.CONSISTENT_INDEX).map(MetaKeys::uint64).orElse(0L);
            term = txn.get(Bucket.META, MetaKeys.TERM).map(MetaKeys::uint64).orElse(0L);
            Optional<byte[]> finished = txn.get(Bucket.META, MetaKeys.FINISHED_COMPACT);
            if (finished.isPresent()) {
                compactMainRev = RevisionKeys.decode(finished.get()).main();
            }
            Optional<byte[]> sched = txn.get(Bucket.META, MetaKeys.SCHEDULED_COMPACT);
            if (sched.isPresent()) {
                scheduled = RevisionKeys.decode(sched.get()).main();
            }
        }
        long maxRev = IndexRebuild.run(backend, index, leases, config.restoreChunkKeys());
        currentRev = StoreRevisions.current(maxRev, compactMainRev);
        if (scheduled > compactMainRev && scheduled > 0) {
            compactMainRev = scheduled;
            resumed = new Compaction(this, scheduled);
        }
    }

    /** The compaction a crash interrupted, if any; run it to completion. */
    public Optional<Compaction> resumedCompaction() {
        return Optional.ofNullable(resumed);
    }

    public void setListener(ChangeListener listener) {
        this.listener = listener;
    }

    /** The revision of the last write transaction that changed something (1 for a new store). */
    public long currentRevision() {
        return currentRev;
    }

    /** The revision compacted at (scheduled or finished), or -1 when never compacted. */
    public long compactedRevision() {
        return compactMainRev;
    }

    public long consistentIndex() {
        return consistentIndex;
    }

    public long term() {
        return term;
    }

    /** Sets the raft index and term being applied; saved with the next write transaction. */
    public void setConsistentIndex(long index, long newTerm) {
        this.consistentIndex = index;
        this.term = newTerm;
    }

    public KvRead read() {
        long rev = currentRev;
        return new KvReadTxn(this, backend.read(), rev);
    }

    /**
     * Saves the consistent index and term in a write transaction of their own: raft entries that change no key
     * (no-ops, conf changes) advance the index without one, and a snapshot must not cover an index the backend
     * does not hold.
     */
    public void saveConsistentIndex() {
        write().close();
    }

    public KvWrite write() {
        writeLock.lock();
        try {
            return new KvWriteTxn(this, backend.write(), currentRev);
        } catch (RuntimeException e) {
            writeLock.unlock();
            throw e;
        }
    }

    /** Called by a closing write transaction. */
    void finishWrite(WriteTxn txn, List<Event> changes, long rev) {
        try {
            txn.put(Bucket.META, MetaKeys.CONSISTENT_INDEX, MetaKeys.uint64(consistentIndex));
            txn.put(Bucket.META, MetaKeys.TERM, MetaKeys.uint64(term));
            txn.close();
            if (!changes.isEmpty()) {
                listener.committed(rev, changes);
                currentRev = rev;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Schedules a compaction at {@code rev}: from now on reads below it fail. The returned job deletes the
     * obsolete revisions in bounded steps.
     *
     * @throws MvccException.Compacted when rev is at or below the compacted revision
     * @throws MvccException.FutureRevision when rev is above the current revision
     */
    public Compaction compact(long rev) {
        writeLock.lock();
        try {
            if (rev <= compactMainRev) {
                throw new MvccException.Compacted(rev, compactMainRev);
            }
            if (rev > currentRev) {
                throw new MvccException.FutureRevision(rev, currentRev);
            }
            compactMainRev = rev;
            try (WriteTxn txn = backend.write()) {
                txn.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT, RevisionKeys.startOf(rev));
            }
            backend.commit();
            return new Compaction(this, rev);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * etcd's HashKV: CRC-32C of the key bucket's name and its entries up to {@code rev} (0: current), skipping
     * entries below the compacted revision that compaction will delete.
     */
    public KvHash hashKv(long rev) {
        long compactRev = compactMainRev;
        long cur = currentRev;
        if (rev > 0 && rev <= compactRev) {
            throw new MvccException.Compacted(rev, compactRev);
        }
        if (rev > cur) {
            throw new MvccException.FutureRevision(rev, cur);
        }
        long at = rev == 0 ? cur : rev;
        try (ReadTxn txn = backend.read()) {
            return KvHash.compute(txn, index.keep(at), at, compactRev, cur);
        }
    }

    /**
     * Every event with revision in {@code [fromRev, toRev]} from the key bucket, in revision order, at most
     * {@code maxRevisions} distinct main revisions (whole transactions only). For watchers catching up.
     */
    public List<Event> history(long fromRev, long toRev, int maxRevisions) {
        List<Event> events = new ArrayList<>();
        try (ReadTxn txn = backend.read()) {
            long[] mains = {0, -1};
            txn.scan(Bucket.KEY, RangeQuery.of(RevisionKeys.startOf(fromRev), RevisionKeys.startOf(toRev + 1)),
                (k, v) -> {
                    Revision r = RevisionKeys.decode(k);
                    if (r.main() != mains[1]) {
                        if (mains[0] == maxRevisions) {
                            return false;
                        }
                        mains[0]++;
                        mains[1] = r.main();
                    }
                    KeyValue kv = KeyValueCodec.decode(v);
                    events.add(RevisionKeys.isTombstone(k) ? Event.delete(kv.key(), r.main()) : Event.put(kv));
                    return true;
                });
        }
        return events;
    }

    TreeIndex index() {
        return index;
    }

    Backend backend() {
        return backend;
    }

    LeaseAttachments leases() {
        return leases;
    }

    MvccConfig config() {
        return config;
    }

    /** Approximate heap bytes of the key index, and its key count. */
    public long indexHeapBytes() {
        return index.heapBytes();
    }

    public int indexKeys() {
        return index.size();
    }

    /** Closes nothing it does not own: the backend belongs to the caller. Waits for an open write. */
    @Override
    public void close() {
        writeLock.lock();
        writeLock.unlock();
    }
}
