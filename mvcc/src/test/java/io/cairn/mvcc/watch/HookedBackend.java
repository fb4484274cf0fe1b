package io.cairn.mvcc.watch;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.io.OutputStream;
import java.util.function.BiPredicate;

/** A backend that runs a one-shot hook at the start of the next read: to land a race at an exact point. */
final class HookedBackend implements Backend {
    private final Backend delegate;
    private Runnable beforeNextRead;

    HookedBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code hook} (once, on the reading thread) before the next {@link #read()} opens its view. */
    void beforeNextRead(Runnable hook) {
        this.beforeNextRead = hook;
    }

    @Override
    public ReadTxn read() {
        Runnable hook = beforeNextRead;
        beforeNextRead = null;
        if (hook != null) {
            hook.run();
        }
        return delegate.read();
    }

    @Override
    public String engine() {
        return delegate.engine();
    }

    @Override
    public WriteTxn write() {
        return delegate.write();
    }

    @Override
    public void commit() {
        delegate.commit();
    }

    @Override
    public boolean commitIfDue() {
        return delegate.commitIfDue();
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public long pendingWrites() {
        return delegate.pendingWrites();
    }

    @Override
    public long snapshot(OutputStream out) {
        return delegate.snapshot(out);
    }

    @Override
    public long sizeBytes() {
        return delegate.sizeBytes();
    }

    @Override
    public long sizeInUseBytes() {
        return delegate.sizeInUseBytes();
    }

    @Override
    public DefragReport defrag() {
        return delegate.defrag();
    }

    @Override
    public long hash(BiPredicate<Bucket, byte[]> skip) {
        return delegate.hash(skip);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
