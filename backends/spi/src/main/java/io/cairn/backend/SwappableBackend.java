package io.cairn.backend;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A backend under a handle that can be pointed at another engine instance while the process runs: a raft member
 * installing a snapshot from its leader replaces the whole backend (etcd's {@code applySnapshot} opens the
 * received db file and closes the old one), while the key store, lessor, alarms and services keep this one object.
 *
 * <p>Every call and every open transaction counts as <em>in use</em>. {@link #swap} stops new users (they wait),
 * waits until the in-use count drains to zero, closes the old engine, opens the new one and lets the waiters go, so
 * no transaction ever spans two engines and nothing uses a closed engine. A thread that already holds a transaction
 * is never made to wait (a nested read during a pending swap would otherwise deadlock with it); the swap waits for
 * it instead. The fast path is one atomic increment and one volatile read.
 *
 * <p>Thread-safe. {@link #swap} must be called by a thread that holds no transaction of this backend.
 */
public final class SwappableBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(SwappableBackend.class.getName());
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong inUse = new AtomicLong();
    private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[1]);
    private final Object monitor = new Object();
    private volatile boolean swapping;
    private volatile Backend delegate;

    public SwappableBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /**
     * Replaces the engine: waits for every user to finish, then runs {@code replace} with the old engine (which it
     * must close) and uses the backend it returns from then on.
     */
    public void swap(Function<Backend, Backend> replace) {
        synchronized (monitor) {
            swapping = true;
            try {
                long waitedSince = System.nanoTime();
                while (inUse.get() > 0) {
                    monitor.wait(100);
                    if (System.nanoTime() - waitedSince > WARN_EVERY_NANOS) {
                        LOG.log(System.Logger.Level.WARNING, "backend: a swap waits for {0} open transactions to "
                            + "close", inUse.get());
                        waitedSince = System.nanoTime();
                    }
                }
                delegate = replace.apply(delegate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while swapping the backend", e);
            } finally {
                swapping = false;
                monitor.notifyAll();
            }
        }
    }

    private int[] enter() {
        int[] mine = held.get();
        while (true) {
            inUse.incrementAndGet();
            if (!swapping || mine[0] > 0) {
                mine[0]++;
                return mine;
            }
            leave(null);
            synchronized (monitor) {
                while (swapping) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while the backend was being swapped", e);
                    }
                }
            }
        }
    }

    private void leave(int[] mine) {
        if (mine != null) {
            mine[0]--;
        }
        if (inUse.decrementAndGet() == 0 && swapping) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    private <T> T call(Supplier<T> op) {
        int[] mine = enter();
        try {
            return op.get();
        } finally {
            leave(mine);
        }
    }

    @Override
    public String engine() {
        return delegate.engine();
    }

    @Override
    public ReadTxn read() {
        int[] mine = enter();
        try {
            return new HeldRead<>(delegate.read(), mine);
        } catch (RuntimeException e) {
            leave(mine);
            throw e;
        }
    }

    @Override
    public WriteTxn write() {
        int[] mine = enter();
        try {
            return new HeldWrite(delegate.write(), mine);
        } catch (RuntimeException e) {
            leave(mine);
            throw e;
        }
    }

    @Override
    public void commit() {
        call(() -> {
            delegate.commit();
            return null;
        });
    }

    @Override
    public boolean commitIfDue() {
        return call(() -> delegate.commitIfDue());
    }

    @Override
    public void sync() {
        call(() -> {
            delegate.sync();
            return null;
        });
    }

    @Override
    public long pendingWrites() {
        return call(() -> delegate.pendingWrites());
    }

    @Override
    public long snapshot(OutputStream out) {
        return call(() -> delegate.snapshot(out));
    }

    @Override
    public long sizeBytes() {
        return call(() -> delegate.sizeBytes());
    }

    @Override
    public long sizeInUseBytes() {
        return call(() -> delegate.sizeInUseBytes());
    }

    @Override
    public DefragReport defrag() {
        return call(() -> delegate.defrag());
    }

    @Override
    public long hash(BiPredicate<Bucket, byte[]> skip) {
        return call(() -> delegate.hash(skip));
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** A transaction that counts as in use until closed (once). */
    private class HeldRead<T extends ReadTxn> implements ReadTxn {
        final T txn;
        private final int[] owner;
        private boolean closed;

        HeldRead(T txn, int[] owner) {
            this.txn = txn;
            this.owner = owner;
        }

        @Override
        public Optional<byte[]> get(Bucket bucket, byte[] key) {
            return txn.get(bucket, key);
        }

        @Override
        public long scan(Bucket bucket, RangeQuery query, EntryVisitor visitor) {
            return txn.scan(bucket, query, visitor);
        }

        @Override
        public long count(Bucket bucket, RangeQuery query) {
            return txn.count(bucket, query);
        }

        @Override
        public List<Bucket> buckets() {
            return txn.buckets();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                txn.close();
            } finally {
                leave(owner);
            }
        }
    }

    private final class HeldWrite extends HeldRead<WriteTxn> implements WriteTxn {
        HeldWrite(WriteTxn txn, int[] owner) {
            super(txn, owner);
        }

        @Override
        public void put(Bucket bucket, byte[] key, byte[] value) {
            txn.put(bucket, key, value);
        }

        @Override
        public void delete(Bucket bucket, byte[] key) {
            txn.delete(bucket, key);
        }
    }
}
