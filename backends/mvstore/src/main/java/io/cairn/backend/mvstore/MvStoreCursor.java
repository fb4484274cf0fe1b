package io.cairn.backend.mvstore;

import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.RootReference;

/**
 * Iterates {@code [start, end)} of one captured root. MVStore cursors take inclusive bounds on both sides, so the
 * exclusive {@code end} is filtered here: forward iteration stops at it, reverse iteration starts from it and skips
 * it if present. Key and value are copied out at most once per entry: the merge above calls {@link #key()} often.
 */
final class MvStoreCursor implements EngineCursor {
    private final MvStoreView view;
    private final Cursor<byte[], byte[]> cursor;
    private final byte[] end;
    private final boolean reverse;
    /** The page's arrays for the current entry, shared with every reader: never handed out. */
    private byte[] pageKey;
    private byte[] pageValue;
    private byte[] key;
    private byte[] value;
    private boolean exhausted;

    MvStoreCursor(MvStoreView view, RootReference<byte[], byte[]> root, byte[] start, byte[] end,
                  boolean reverse) {
        this.view = view;
        this.end = end;
        this.reverse = reverse;
        this.cursor = reverse ? new Cursor<>(root, end, start, true) : new Cursor<>(root, start, end, false);
    }

    @Override
    public boolean next() {
        view.ensureOpen();
        pageKey = null;
        pageValue = null;
        key = null;
        value = null;
        if (exhausted) {
            return false;
        }
        try {
            while (cursor.hasNext()) {
                byte[] k = cursor.next();
                if (end != null && Keys.compare(k, end) >= 0) {
                    if (reverse) {
                        continue;
                    }
                    break;
                }
                pageKey = k;
                pageValue = cursor.getValue();
                return true;
            }
        } catch (RuntimeException e) {
            throw view.failed(e);
        }
        exhausted = true;
        return false;
    }

    @Override
    public byte[] key() {
        if (key == null) {
            key = positioned(pageKey).clone();
        }
        return key;
    }

    @Override
    public byte[] value() {
        if (value == null) {
            value = positioned(pageValue).clone();
        }
        return value;
    }

    private byte[] positioned(byte[] field) {
        view.ensureOpen();
        if (field == null) {
            throw new IllegalStateException("mvstore: cursor is not on an entry; call next() first");
        }
        return field;
    }

    @Override
    public void close() {
        exhausted = true;
    }
}
