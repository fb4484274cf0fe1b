package io.cairn.backend.mvstore;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import java.util.List;

/**
 * A view over one {@link PinnedVersion}. Reads walk the captured roots without any lock, so they never wait for an
 * apply and an apply never waits for them. Arrays handed out are copies: pages are shared by every reader and the
 * page cache.
 */
final class MvStoreView implements EngineView {
    private final MvStoreEngine engine;
    private final PinnedVersion pin;
    private boolean closed;

    MvStoreView(MvStoreEngine engine, PinnedVersion pin) {
        this.engine = engine;
        this.pin = pin;
    }

    @Override
    public byte[] get(Bucket bucket, byte[] key) {
        ensureOpen();
        PinnedVersion.Root root = pin.roots().get(bucket);
        if (root == null) {
            return null;
        }
        try {
            byte[] value = root.map().get(root.ref().root, key);
            return value == null ? null : value.clone();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public EngineCursor cursor(Bucket bucket, byte[] start, byte[] end, boolean reverse) {
        ensureOpen();
        PinnedVersion.Root root = pin.roots().get(bucket);
        if (root == null || (end != null && Keys.compare(end, start) <= 0)) {
            return EngineCursor.empty();
        }
        try {
            return new MvStoreCursor(this, root.ref(), start, end, reverse);
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public List<Bucket> buckets() {
        ensureOpen();
        return List.copyOf(pin.roots().keySet());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pin.release();
        }
    }

    void ensureOpen() {
        engine.ensureOpen();
        if (closed) {
            throw new BackendException.Closed("mvstore view");
        }
    }

    /** A read failure: the engine closed under us, or a real error. */
    BackendException failed(RuntimeException e) {
        return engine.readFailed(e);
    }
}
