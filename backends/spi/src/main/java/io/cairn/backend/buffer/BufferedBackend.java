package io.cairn.backend.buffer;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendException;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.snapshot.ContentHash;
import io.cairn.backend.snapshot.SnapshotWriter;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * The {@link Backend} of every engine: generations of buffered writes over a {@link StorageEngine}. See the
 * package documentation for the consistency argument and lock order.
 */
public final class BufferedBackend implements Backend {
    /**
     * How long {@link #sizeBytes()} may answer from its cache: reading an engine's size walks its files, and the
     * quota asks for it on every write. Commits and defrags invalidate the cache at once; the bound covers the
     * engine's own background work (compactions) between them.
     */
    static final long SIZE_CACHE_NANOS = 100_000_000L;

    private final String engineName;
    private final StorageEngine engine;
    private final BackendOptions options;
    /** Held by defrag and close, so close never overlaps a defrag. Taken before commitLock. */
    private final ReentrantLock defragLock = new ReentrantLock();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ReentrantLock writerLock = new ReentrantLock(true);
    private final Object stateLock = new Object();
    /** Guarded by commitLock: sealed generations waiting for (or failed in) their engine apply, oldest first. */
    private final Deque<Generation> sealed = new ArrayDeque<>();
    private volatile ReadState state;
    /** Written under writerLock. */
    private volatile Generation active;
    /** Id of the newest generation whose engine apply has started. */
    private volatile long applyStarted;
    private volatile boolean closed;
    private volatile BackendException lastInlineFailure;
    /** The engine's size as last read; -1 once a commit or defrag may have changed it. */
    private volatile long cachedSize = -1;
    private volatile long cachedSizeAtNanos;

    public BufferedBackend(String engineName, StorageEngine engine, BackendOptions options) {
        this.engineName = engineName;
        this.engine = engine;
        this.options = options;
        this.active = new Generation(1);
        this.state = new ReadState(0, List.of(active), active.id);
    }

    @Override
    public String engine() {
        return engineName;
    }

    @Override
    public ReadTxn read() {
        while (true) {
            ensureOpen();
            ReadState st = state;
            EngineView view = engine.openView();
            if (applyStarted < st.activeId()) {
                return new BufferedReadTxn(this, st.generations(), st.seq(), view);
            }
            view.close();
        }
    }

    @Override
    public WriteTxn write() {
        ensureOpen();
        if (writerLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("backend: a write transaction is already open on this thread");
        }
        writerLock.lock();
        if (closed) {
            writerLock.unlock();
            throw new BackendException.Closed("backend");
        }
        ReadState st = state;
        return new BufferedWriteTxn(this, st.generations(), st.seq() + 1, active);
    }

    /** Called by a closing write transaction: makes its writes visible, then commits if the batch is full. */
    void publish(long seq, Generation gen) {
        synchronized (stateLock) {
            state = state.withSeq(seq);
        }
        writerLock.unlock();
        if (gen.ops() >= options.batchLimitOps()) {
            commitInline();
        }
    }

    /**
     * The batch-full commit run by a closing writer. Its writes are already published, so a failure here must not
     * surface as a failed write: the generation stays sealed and the next {@link #commit()}, {@link #sync()} or
     * {@link #commitIfDue()} retries it and reports the error. A backend closing meanwhile commits by itself.
     */
    private void commitInline() {
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            sealActive();
            applySealed();
        } catch (BackendException e) {
            lastInlineFailure = e;
        } finally {
            commitLock.unlock();
        }
    }

    /** The last failure of a batch-full commit run by a writer, or null; cleared by a successful commit. */
    public BackendException lastInlineFailure() {
        return lastInlineFailure;
    }

    @Override
    public void commit() {
        if (writerLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("backend: commit inside an open write transaction");
        }
        commitLock.lock();
        try {
            ensureOpen();
            sealActive();
            applySealed();
            lastInlineFailure = null;
        } finally {
            commitLock.unlock();
        }
    }

    private void sealActive() {
        writerLock.lock();
        try {
            Generation current = active;
            if (current.ops() == 0) {
                return;
            }
            current.seal();
            sealed.addLast(current);
            Generation next = new Generation(current.id + 1);
            active = next;
            synchronized (stateLock) {
                state = state.withNewActive(next);
            }
        } finally {
            writerLock.unlock();
        }
    }

    private void applySealed() {
        while (!sealed.isEmpty()) {
            Generation g = sealed.peekFirst();
            applyStarted = g.id;
            engine.apply(g.toBatch());
            cachedSize = -1;
            sealed.removeFirst();
            synchronized (stateLock) {
                state = state.without(g);
            }
        }
    }

    @Override
    public boolean commitIfDue() {
        Generation g = active;
        int ops = g.ops();
        boolean due = ops >= options.batchLimitOps()
            || (ops > 0 && nowNanos() - g.firstWriteNanos() >= options.batchInterval().toNanos())
            || !sealedIsEmpty();
        if (due) {
            commit();
        }
        return due;
    }

    private boolean sealedIsEmpty() {
        commitLock.lock();
        try {
            return sealed.isEmpty();
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public void sync() {
        commitLock.lock();
        try {
            commit();
            engine.sync();
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public long pendingWrites() {
        long n = 0;
        for (Generation g : state.generations()) {
            n += g.ops();
        }
        return n;
    }

    @Override
    public long snapshot(OutputStream out) {
        try (ReadTxn txn = read()) {
            return SnapshotWriter.write(txn, out);
        }
    }

    @Override
    public long sizeBytes() {
        ensureOpen();
        long now = nowNanos();
        long cached = cachedSize;
        if (cached < 0 || now - cachedSizeAtNanos > SIZE_CACHE_NANOS) {
            cached = engine.sizeBytes();
            cachedSizeAtNanos = now;
            cachedSize = cached;
        }
        return cached;
    }

    @Override
    public long sizeInUseBytes() {
        ensureOpen();
        return engine.sizeInUseBytes();
    }

    @Override
    public DefragReport defrag() {
        defragLock.lock();
        try {
            commit();
            if (!engine.defragExcludesApply()) {
                return engine.defrag();
            }
            commitLock.lock();
            try {
                ensureOpen();
                return engine.defrag();
            } finally {
                commitLock.unlock();
            }
        } finally {
            cachedSize = -1;
            defragLock.unlock();
        }
    }

    @Override
    public long hash(BiPredicate<Bucket, byte[]> skip) {
        try (ReadTxn txn = read()) {
            return ContentHash.of(txn, skip);
        }
    }

    @Override
    public void close() {
        defragLock.lock();
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            commit();
            engine.sync();
            writerLock.lock();
            try {
                closed = true;
            } finally {
                writerLock.unlock();
            }
            engine.close();
        } finally {
            commitLock.unlock();
            defragLock.unlock();
        }
    }

    StorageEngine storageEngine() {
        return engine;
    }

    long nowNanos() {
        return options.nanoClock().getAsLong();
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("backend");
        }
    }
}
