package io.cairn.backend.rocksdb;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * A RocksDB snapshot and everything read through it. The monitor of this object guards all its natives and those
 * of its cursors: user calls hold it while they touch native memory, and {@link #close()} or the engine's
 * {@link #closeByEngine()} release the natives under it, so no native call can race a release. Views are
 * thread-confined, so the monitor is uncontended except against the engine's close.
 */
final class RocksDbView implements EngineView {
    private final RocksDbEngine engine;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    /** Open cursors, to release with the view. */
    private final List<RocksDbCursor> cursors = new ArrayList<>();
    private boolean closed;
    private boolean closedByEngine;

    RocksDbView(RocksDbEngine engine, Snapshot snapshot) {
        this.engine = engine;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    public synchronized byte[] get(Bucket bucket, byte[] key) {
        ensureOpen();
        try {
            return engine.db().get(readOptions, KeyCodec.key(KeyCodec.prefix(bucket), key));
        } catch (RocksDBException e) {
            throw engine.failed("read", e);
        }
    }

    @Override
    public synchronized EngineCursor cursor(Bucket bucket, byte[] start, byte[] end, boolean reverse) {
        ensureOpen();
        if (end != null && Keys.compare(end, start) <= 0) {
            return EngineCursor.empty();
        }
        RocksDbCursor cursor = new RocksDbCursor(this, engine.db(), snapshot, KeyCodec.prefix(bucket), start, end,
            reverse);
        cursors.add(cursor);
        return cursor;
    }

    @Override
    public synchronized List<Bucket> buckets() {
        ensureOpen();
        try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot); Slice lower = new Slice(
            KeyCodec.REGISTRY_START); Slice upper = new Slice(KeyCodec.REGISTRY_END)) {
            ro.setIterateLowerBound(lower).setIterateUpperBound(upper);
            return List.copyOf(RocksDbEngine.listBuckets(engine.db(), ro));
        } catch (RocksDBException e) {
            throw engine.failed("read", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            release();
        }
        engine.forget(this);
    }

    /** The engine is closing: release the natives now; later calls on this view or its cursors fail or no-op. */
    synchronized void closeByEngine() {
        if (!closed) {
            closedByEngine = true;
            release();
        }
    }

    private void release() {
        closed = true;
        for (RocksDbCursor c : cursors) {
            c.release();
        }
        cursors.clear();
        engine.db().releaseSnapshot(snapshot);
        readOptions.close();
    }

    /** Called under this monitor by a cursor closing itself. */
    void forget(RocksDbCursor cursor) {
        cursors.remove(cursor);
    }

    /** Call under this monitor. */
    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed(closedByEngine ? "rocksdb engine" : "rocksdb view");
        }
    }

    BackendException failed(RocksDBException e) {
        return engine.failed("read", e);
    }
}
