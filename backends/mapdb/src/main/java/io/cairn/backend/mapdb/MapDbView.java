package io.cairn.backend.mapdb;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import java.util.List;

/**
 * A point-in-time view at one epoch. Reads the live maps first and the undo logs newer than the epoch second (see
 * the package documentation for why that order is the one that works). Thread-confined, as the SPI says.
 */
final class MapDbView implements EngineView {
    private final MapDbEngine engine;
    private final Epochs.Ticket ticket;
    private boolean closed;

    MapDbView(MapDbEngine engine, Epochs.Ticket ticket) {
        this.engine = engine;
        this.ticket = ticket;
    }

    @Override
    public byte[] get(Bucket bucket, byte[] key) {
        ensureUsable();
        byte[] live = engine.readLive(bucket, key);
        byte[] pre = engine.epochs().preImage(ticket.epoch(), bucket, key);
        if (pre == null) {
            return live;
        }
        return pre == UndoLog.ABSENT ? null : pre.clone();
    }

    @Override
    public EngineCursor cursor(Bucket bucket, byte[] start, byte[] end, boolean reverse) {
        ensureUsable();
        byte[] from = start == null ? new byte[0] : start;
        if (end != null && Keys.compare(end, from) <= 0) {
            return EngineCursor.empty();
        }
        return new MergeCursor(this, bucket, from, end, reverse);
    }

    @Override
    public List<Bucket> buckets() {
        ensureUsable();
        return engine.bucketsAt(ticket.epoch());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            engine.epochs().unregister(ticket);
        }
    }

    long epoch() {
        return ticket.epoch();
    }

    MapDbEngine engine() {
        return engine;
    }

    /** Undo logs newer than this view, oldest first; call after reading the live data. */
    UndoLog[] logs() {
        return engine.epochs().logsAfter(ticket.epoch());
    }

    void ensureUsable() {
        if (closed) {
            throw new BackendException.Closed("mapdb view");
        }
        engine.ensureOpen();
    }
}
