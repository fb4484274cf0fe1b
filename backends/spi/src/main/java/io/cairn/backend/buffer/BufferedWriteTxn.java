package io.cairn.backend.buffer;

import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import io.cairn.backend.engine.EngineView;
import java.util.List;
import java.util.Objects;

/**
 * The single writer: writes into the active generation under its own sequence number and reads them back. Its
 * engine view opens lazily: the active generation cannot be applied while the writer holds the writer lock, so
 * any view opened during the transaction is consistent with the generations it captured.
 */
final class BufferedWriteTxn extends BufferedReadTxn implements WriteTxn {
    private final BufferedBackend owner;
    private final Generation active;
    private final long seq;

    BufferedWriteTxn(BufferedBackend owner, List<Generation> generations, long seq, Generation active) {
        super(owner, generations, seq, null);
        this.owner = owner;
        this.active = active;
        this.seq = seq;
    }

    @Override
    public void put(Bucket bucket, byte[] key, byte[] value) {
        ensureOpen();
        checkKey(key);
        Objects.requireNonNull(value, "value");
        long max = owner.storageEngine().maxEntryBytes();
        if ((long) key.length + value.length > max) {
            throw new IllegalArgumentException("backend: entry of " + ((long) key.length + value.length)
                + " bytes exceeds the engine's limit of " + max + " bytes");
        }
        active.write(bucket, key, value, seq, owner.nowNanos());
    }

    @Override
    public void delete(Bucket bucket, byte[] key) {
        ensureOpen();
        checkKey(key);
        active.write(bucket, key, null, seq, owner.nowNanos());
    }

    @Override
    EngineView view() {
        EngineView v = super.view();
        if (v == null) {
            v = owner.storageEngine().openView();
            setView(v);
        }
        return v;
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        super.close();
        owner.publish(seq, active);
    }

    private static void checkKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("key must be non-empty");
        }
    }
}
