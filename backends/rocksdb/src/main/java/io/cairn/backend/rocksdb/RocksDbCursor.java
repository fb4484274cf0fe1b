package io.cairn.backend.rocksdb;

import io.cairn.backend.BackendException;
import io.cairn.backend.engine.EngineCursor;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * A RocksDB iterator over {@code [prefix + start, prefix + end)} (or to the end of the bucket) at the view's
 * snapshot. The bounds are set on the read options as native slices, which must outlive the iterator; RocksDB then
 * stops at them itself, and {@code seekToLast} lands on the last key below the upper bound. Every method holds the
 * view's monitor (see {@link RocksDbView}). Key and value are copied out once per entry.
 */
final class RocksDbCursor implements EngineCursor {
    private final RocksDbView view;
    private final int prefixLength;
    private final boolean reverse;
    private final Slice lower;
    private final Slice upper;
    private final ReadOptions readOptions;
    private final RocksIterator iterator;
    private boolean started;
    private boolean exhausted;
    private boolean released;
    private boolean positioned;
    private byte[] key;
    private byte[] value;

    RocksDbCursor(RocksDbView view, RocksDB db, Snapshot snapshot, byte[] prefix, byte[] start, byte[] end,
                  boolean reverse) {
        this.view = view;
        this.prefixLength = prefix.length;
        this.reverse = reverse;
        this.lower = new Slice(KeyCodec.key(prefix, start));
        this.upper = new Slice(end == null ? KeyCodec.prefixEnd(prefix) : KeyCodec.key(prefix, end));
        this.readOptions = new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lower)
            .setIterateUpperBound(upper);
        this.iterator = db.newIterator(readOptions);
    }

    @Override
    public boolean next() {
        synchronized (view) {
            ensureOpen();
            key = null;
            value = null;
            positioned = false;
            if (exhausted) {
                return false;
            }
            if (!started) {
                started = true;
                if (reverse) {
                    iterator.seekToLast();
                } else {
                    iterator.seekToFirst();
                }
            } else if (reverse) {
                iterator.prev();
            } else {
                iterator.next();
            }
            positioned = iterator.isValid();
            if (!positioned) {
                exhausted = true;
                try {
                    iterator.status();
                } catch (RocksDBException e) {
                    throw view.failed(e);
                }
            }
            return positioned;
        }
    }

    @Override
    public byte[] key() {
        synchronized (view) {
            ensurePositioned();
            if (key == null) {
                key = KeyCodec.userKey(iterator.key(), prefixLength);
            }
            return key;
        }
    }

    @Override
    public byte[] value() {
        synchronized (view) {
            ensurePositioned();
            if (value == null) {
                value = iterator.value();
            }
            return value;
        }
    }

    @Override
    public void close() {
        synchronized (view) {
            if (!released) {
                release();
                view.forget(this);
            }
        }
    }

    /** Frees the natives, iterator first. Called under the view's monitor, at most once. */
    void release() {
        released = true;
        positioned = false;
        iterator.close();
        readOptions.close();
        lower.close();
        upper.close();
    }

    private void ensureOpen() {
        view.ensureOpen();
        if (released) {
            throw new BackendException.Closed("rocksdb cursor");
        }
    }

    private void ensurePositioned() {
        ensureOpen();
        if (!positioned) {
            throw new IllegalStateException("rocksdb: cursor is not on an entry; call next() first");
        }
    }
}
