package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.io.OutputStream;
import java.util.function.BiPredicate;

/**
 * The server's delegating backend in miniature: one {@link Backend} object whose engine is switched underneath, as
 * when a raft snapshot is installed. Transactions opened before a switch stay on the engine they were opened on.
 * Closes nothing: the engines belong to the test.
 */
final class SwappableBackend implements Backend {
    private volatile Backend delegate;

    SwappableBackend(Backend first) {
        this.delegate = first;
    }

    void switchTo(Backend next) {
        this.delegate = next;
    }

    @Override
    public String engine() {
        return delegate.engine();
    }

    @Override
    public ReadTxn read() {
        return delegate.read();
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
    }
}
