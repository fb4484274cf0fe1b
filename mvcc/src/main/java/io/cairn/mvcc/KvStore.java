package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
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
 *
 * <p>Reload. After the backend's contents were replaced wholesale (a raft snapshot), {@link #reload} rebuilds all
 * in-memory state, as etcd's {@code store.Restore}. Like etcd's {@code store.mu} (an RWMutex), {@code views} is
 * held shared by every read ({@link #read()} until its close, {@link #hashKv}, {@link #history}: one permit) and
 * exclusively by a reload (every permit), so a read sees the old index over the old contents or the new index
 * over the new ones, never a mix. It is fair: a waiting reload holds new reads off, so overlapping reads cannot
 * starve it, and a permit may be released by any thread. Lock order: {@code writeLock}, then {@code views}, then
 * the {@link LeaseAttachments}' and the backend's locks. A thread that holds a read must not open another read or
 * a write while a reload may run (it would wait behind the reload, which waits for it).
 */
public final class KvStore implements AutoCloseable {
    /** The permits of {@code views}: each read takes one, a reload all. */
    private static final int ALL_VIEWS = Integer.MAX_VALUE;

    private final Backend backend;
    private final MvccConfig config;
    private final LeaseAttachments leases;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Semaphore views = new Semaphore(ALL_VIEWS, true);
    private volatile TreeIndex index = new TreeIndex();
    private volatile ChangeListener listener = ChangeListener.NONE;
    private volatile long currentRev;
    private volatile long compactMainRev = -1;
    private volatile long consistentIndex;
    private volatile long term;
    /** Counts reloads; a {@link Compaction} of an earlier epoch is abandoned. Written under both locks. */
    private volatile long epoch;
    private volatile Compaction resumed;

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

    /** Rebuilds every in-memory field from the backend into a fresh index (open, or reload under both locks). */
    private void restore() {
        long ci;
        long t;
        long finished = -1;
        long scheduled = 0;
        try (ReadTxn txn = backend.read()) {
            ci = txn.get(Bucket.META, MetaKeys.CONSISTENT_INDEX).map(MetaKeys::uint64).orElse(0L);
            t = txn.get(Bucket.META, MetaKeys.TERM).map(MetaKeys::uint64).orElse(0L);
            Optional<byte[]> fin = txn.get(Bucket.META, MetaKeys.FINISHED_COMPACT);
            if (fin.isPresent()) {
                finished = RevisionKeys.decode(fin.get()).main();
            }
            Optional<byte[]> sched = txn.get(Bucket.META, MetaKeys.SCHEDULED_COMPACT);
            if (sched.isPresent()) {
                scheduled = RevisionKeys.decode(sched.get()).main();
            }
        }
        TreeIndex rebuilt = new TreeIndex();
        long maxRev = IndexRebuild.run(backend, rebuilt, leases, config.restoreChunkKeys());
        boolean resume = scheduled > finished && scheduled > 0;
        index = rebuilt;
        consistentIndex = ci;
        term = t;
        compactMainRev = resume ? scheduled : finished;
        currentRev = StoreRevisions.current(maxRev, finished);
        resumed = resume ? new Compaction(this, scheduled) : null;
    }

    /**
     * Reloads the store from its backend after the backend's contents were replaced wholesale (etcd's
     * {@code kv.Restore} when a raft snapshot is applied): the key index, current and compacted revisions,
     * consistent index and term are rebuilt exactly as {@link #open} builds them, and keys are attached again to
     * the {@link LeaseAttachments} given to open. The store keeps its identity and its change listener, which is
     * not told: the watchable store's {@code restore()} must follow. {@link Compaction}s handed out earlier are
     * abandoned: their remaining steps do nothing.
     *
     * <p>Who and when: the apply thread, with no write transaction open (it would deadlock: this takes the write
     * lock), after the engine under the {@code Backend} was switched and after {@code Lessor.reload()} (which
     * drops the old key attachments this rebuild replaces). The whole sequence, in this order:
     * <pre>
     *   swap the engine; lessor.reload(); kv.reload() (or both inside {@link #reload(Runnable)});
     *   alarms.reload(); watchable.restore(); run the returned compaction, if any
     * </pre>
     *
     * <p>Thread-safety: waits for open reads to close and holds new reads, writes and compaction batches off until
     * the new state is published, so each read sees all old or all new state. Reads that begin between the engine
     * switch and this call see the old index over the new contents: switch inside {@link #reload(Runnable)} to
     * rule that out. A reload that throws (unreadable contents) leaves the store unusable: stop the member, as
     * etcd panics.
     *
     * @return the compaction the new contents had scheduled but not finished; run it to completion, as
     *     {@link #resumedCompaction()} after open (which now returns it too)
     */
    public Optional<Compaction> reload() {
        return reload(() -> { });
    }

    /**
     * {@link #reload()}, running {@code switchContents} first with this store's reads, writes and compaction
     * batches held off: the server passes the engine switch followed by {@code lessor.reload()}, so no read of
     * this store ever pairs the old index with the new contents. {@code switchContents} must not use this store.
     */
    public Optional<Compaction> reload(Runnable switchContents) {
        writeLock.lock();
        try {
            views.acquireUninterruptibly(ALL_VIEWS);
            try {
                switchContents.run();
                epoch++;
                restore();
                return resumedCompaction();
            } finally {
                views.release(ALL_VIEWS);
            }
        } finally {
            writeLock.unlock();
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

    /** A read at the current revision. Holds a reload off until closed: close it promptly. */
    public KvRead read() {
        views.acquireUninterruptibly();
        try {
            long rev = currentRev;
            return new KvReadTxn(this, backend.read(), rev, views::release);
        } catch (RuntimeException e) {
            views.release();
            throw e;
        }
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
        views.acquireUninterruptibly();
        try {
            return hashKvAt(rev);
        } finally {
            views.release();
        }
    }

    private KvHash hashKvAt(long rev) {
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
        views.acquireUninterruptibly();
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
        } finally {
            views.release();
        }
        return events;
    }

    TreeIndex index() {
        return index;
    }

    long epoch() {
        return epoch;
    }

    /**
     * Runs {@code task} under the write lock unless a reload replaced the state of {@code ofEpoch}.
     *
     * @return false when skipped
     */
    boolean runInEpoch(long ofEpoch, Runnable task) {
        writeLock.lock();
        try {
            if (ofEpoch != epoch) {
                return false;
            }
            task.run();
            return true;
        } finally {
            writeLock.unlock();
        }
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
