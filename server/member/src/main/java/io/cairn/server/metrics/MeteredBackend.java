package io.cairn.server.metrics;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.io.OutputStream;
import java.util.function.BiPredicate;

/**
 * A {@link Backend} that times what etcd's backend times, delegating everything: commits (explicit,
 * {@link #commitIfDue()} when one ran, and {@link #sync()}, which commits and fsyncs) into
 * etcd_disk_backend_commit_duration_seconds, defrags into etcd_disk_backend_defrag_duration_seconds with
 * etcd_disk_defrag_inflight, and snapshots into etcd_disk_backend_snapshot_duration_seconds. The SPI has no commit
 * hook, so a commit the backend runs inside a closing write transaction (the batch-limit commit) is not observed.
 * Thread-safe as the delegate is.
 */
public final class MeteredBackend implements Backend {
    private final Backend delegate;
    private final ServerMetrics metrics;

    public MeteredBackend(Backend delegate, ServerMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
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
        long start = metrics.nanoTime();
        delegate.commit();
        metrics.backendCommit(metrics.nanoTime() - start);
    }

    @Override
    public boolean commitIfDue() {
        long start = metrics.nanoTime();
        boolean ran = delegate.commitIfDue();
        if (ran) {
            metrics.backendCommit(metrics.nanoTime() - start);
        }
        return ran;
    }

    @Override
    public void sync() {
        long start = metrics.nanoTime();
        delegate.sync();
        metrics.backendCommit(metrics.nanoTime() - start);
    }

    @Override
    public long pendingWrites() {
        return delegate.pendingWrites();
    }

    @Override
    public long snapshot(OutputStream out) {
        long start = metrics.nanoTime();
        long bytes = delegate.snapshot(out);
        metrics.backendSnapshot(metrics.nanoTime() - start);
        return bytes;
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
        long start = metrics.nanoTime();
        metrics.defragStarted();
        try {
            return delegate.defrag();
        } finally {
            metrics.defragFinished(metrics.nanoTime() - start);
        }
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
