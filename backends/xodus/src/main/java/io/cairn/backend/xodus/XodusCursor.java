package io.cairn.backend.xodus;

import io.cairn.backend.BackendException;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import jetbrains.exodus.env.Cursor;

/**
 * A Xodus cursor limited to {@code [start, end)} of one store, ascending or descending. Xodus orders keys bytewise
 * unsigned, shorter prefix first, as the SPI requires.
 *
 * <p>Positioning: ascending starts at the first key {@code >= start} ({@code getSearchKeyRange}); descending starts
 * at the last key {@code < end}: the key before the first key {@code >= end}, or the last key when there is none
 * (or no end). Every method runs under the owning view's monitor.
 */
final class XodusCursor implements EngineCursor {
    private final XodusView view;
    private final Cursor cursor;
    private final byte[] start;
    private final byte[] end;
    private final boolean reverse;
    private boolean positioned;
    private boolean exhausted;
    private boolean closed;
    private byte[] key;
    private byte[] value;

    XodusCursor(XodusView view, Cursor cursor, byte[] start, byte[] end, boolean reverse) {
        this.view = view;
        this.cursor = cursor;
        this.start = start;
        this.end = end;
        this.reverse = reverse;
    }

    @Override
    public boolean next() {
        synchronized (view) {
            ensureUsable();
            key = null;
            value = null;
            if (exhausted) {
                return false;
            }
            try {
                boolean found = positioned ? step() : seek();
                positioned = true;
                if (found) {
                    byte[] k = ByteIterables.copy(cursor.getKey());
                    if (inRange(k)) {
                        key = k;
                        return true;
                    }
                }
                exhausted = true;
                return false;
            } catch (RuntimeException e) {
                throw view.translate("iterate", e);
            }
        }
    }

    private boolean seek() {
        if (!reverse) {
            return start.length == 0 ? cursor.getNext() : cursor.getSearchKeyRange(ByteIterables.wrap(start)) != null;
        }
        if (end != null && cursor.getSearchKeyRange(ByteIterables.wrap(end)) != null) {
            return cursor.getPrev();
        }
        return cursor.getLast();
    }

    private boolean step() {
        return reverse ? cursor.getPrev() : cursor.getNext();
    }

    private boolean inRange(byte[] k) {
        return reverse ? Keys.compare(k, start) >= 0 : end == null || Keys.compare(k, end) < 0;
    }

    @Override
    public byte[] key() {
        synchronized (view) {
            ensureCurrent();
            return key;
        }
    }

    @Override
    public byte[] value() {
        synchronized (view) {
            ensureCurrent();
            if (value == null) {
                try {
                    value = ByteIterables.copy(cursor.getValue());
                } catch (RuntimeException e) {
                    throw view.translate("read a value", e);
                }
            }
            return value;
        }
    }

    private void ensureCurrent() {
        ensureUsable();
        if (key == null) {
            throw new IllegalStateException("xodus cursor: no current entry (call next() first, and only while it "
                + "returns true)");
        }
    }

    private void ensureUsable() {
        view.ensureUsable();
        if (closed) {
            throw new BackendException.Closed("xodus cursor");
        }
    }

    /** Idempotent; a no-op after the view or the engine has closed it. */
    @Override
    public void close() {
        synchronized (view) {
            if (!closed) {
                closeByView();
                view.forget(this);
            }
        }
    }

    /** Called under the view's monitor. */
    void closeByView() {
        if (!closed) {
            closed = true;
            cursor.close();
        }
    }
}
