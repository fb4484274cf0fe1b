package io.cairn.backend.xodus;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineErrors;
import io.cairn.backend.engine.EngineView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * A read-only Xodus transaction: the snapshot of the log as of its start (Xodus's MVCC over an append-only log,
 * so it takes no lock and never blocks a writer). The SPI confines a view to one thread; its monitor, shared by
 * its cursors, exists so that {@link XodusEngine#close} can end it from another thread without ever touching the
 * transaction concurrently with its owner.
 */
final class XodusView implements EngineView {
    private final XodusEngine engine;
    private final EnvironmentImpl env;
    private final Transaction txn;
    /** Stores by bucket as they exist in this snapshot; a bucket absent from it maps to {@code null}. */
    private final Map<Bucket, Store> stores = new HashMap<>();
    private final Set<XodusCursor> cursors = new HashSet<>();
    private boolean closed;

    XodusView(XodusEngine engine, EnvironmentImpl env, Transaction txn) {
        this.engine = engine;
        this.env = env;
        this.txn = txn;
    }

    @Override
    public synchronized byte[] get(Bucket bucket, byte[] key) {
        ensureUsable();
        try {
            Store store = store(bucket);
            if (store == null) {
                return null;
            }
            ByteIterable value = store.get(txn, ByteIterables.wrap(key));
            return value == null ? null : ByteIterables.copy(value);
        } catch (RuntimeException e) {
            throw translate("get", e);
        }
    }

    @Override
    public synchronized EngineCursor cursor(Bucket bucket, byte[] start, byte[] end, boolean reverse) {
        ensureUsable();
        if (end != null && Keys.compare(end, start) <= 0) {
            return EngineCursor.empty();
        }
        try {
            Store store = store(bucket);
            if (store == null) {
                return EngineCursor.empty();
            }
            XodusCursor cursor = new XodusCursor(this, store.openCursor(txn), start, end, reverse);
            cursors.add(cursor);
            return cursor;
        } catch (RuntimeException e) {
            throw translate("open a cursor", e);
        }
    }

    @Override
    public synchronized List<Bucket> buckets() {
        ensureUsable();
        try {
            List<Bucket> out = new ArrayList<>();
            for (String name : env.getAllStoreNames(txn)) {
                if (name.startsWith(XodusEngine.STORE_PREFIX)) {
                    out.add(Bucket.of(name.substring(XodusEngine.STORE_PREFIX.length())));
                }
            }
            out.sort(null);
            return out;
        } catch (RuntimeException e) {
            throw translate("list buckets", e);
        }
    }

    private Store store(Bucket bucket) {
        if (!stores.containsKey(bucket)) {
            stores.put(bucket, env.openStore(XodusEngine.storeName(bucket), StoreConfig.USE_EXISTING, txn, false));
        }
        return stores.get(bucket);
    }

    /** Idempotent; a no-op once the engine has closed the view. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        end();
        engine.forget(this);
    }

    /** The engine is closing: end the transaction so the environment can close. */
    synchronized void closeByEngine() {
        if (!closed) {
            end();
        }
    }

    private void end() {
        closed = true;
        for (XodusCursor c : cursors) {
            c.closeByView();
        }
        cursors.clear();
        if (!txn.isFinished()) {
            txn.abort();
        }
    }

    /** Called by a cursor, under this monitor, when it closes. */
    void forget(XodusCursor cursor) {
        cursors.remove(cursor);
    }

    /** Throws {@link BackendException.Closed} after {@link #close()} or the engine's close. Caller holds monitor. */
    void ensureUsable() {
        if (closed) {
            throw new BackendException.Closed(engine.isClosed() ? "xodus engine in " + engine.dir() : "xodus view");
        }
    }

    /** Engine failures while reading; a failure caused by a concurrent close reads as {@code Closed}. */
    RuntimeException translate(String operation, RuntimeException e) {
        if (closed || engine.isClosed()) {
            return new BackendException.Closed("xodus view");
        }
        return EngineErrors.translate(XodusEngineProvider.NAME, operation, engine.dir(), e);
    }
}
