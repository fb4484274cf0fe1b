package io.cairn.backend.mapdb;

import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineCursor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A range of one bucket at a view's epoch: chunks of the live B-tree merged with the undo logs newer than the
 * epoch (pre-images override live values, {@link UndoLog#ABSENT} hides a key, pre-images of deleted keys come
 * back).
 *
 * <p>Each chunk covers a key interval: from the cursor position to the last live key fetched (or to the end of the
 * range once the live side is exhausted). The logs are read after the live chunk, so for every key in the interval
 * the rule of {@link MapDbView#get} holds: a write newer than the epoch that the live fetch may have seen has its
 * log registered before the write, hence visible now. Chunks start small (a {@code limit 1} scan reads one leaf)
 * and double up to {@link #MAX_CHUNK}; no lock is held between chunks. Every key and value handed out is a fresh
 * array (live ones are deserialized per fetch, log ones are copied), so callers own them.
 */
final class MergeCursor implements EngineCursor {
    static final int FIRST_CHUNK = 16;
    static final int MAX_CHUNK = 1024;

    private final MapDbView view;
    private final Bucket bucket;
    private final byte[] start;
    private final byte[] end;
    private final boolean reverse;
    /** Forward: the next lower bound; reverse: the next upper bound (null: unbounded). */
    private byte[] position;
    private boolean positionInclusive;
    private boolean exhausted;
    private int chunk = FIRST_CHUNK;
    private final ArrayDeque<byte[][]> ready = new ArrayDeque<>();
    private byte[][] current;

    MergeCursor(MapDbView view, Bucket bucket, byte[] start, byte[] end, boolean reverse) {
        this.view = view;
        this.bucket = bucket;
        this.start = start;
        this.end = end;
        this.reverse = reverse;
        this.position = reverse ? end : start;
        this.positionInclusive = !reverse;
    }

    @Override
    public boolean next() {
        view.ensureUsable();
        while (ready.isEmpty() && !exhausted) {
            fill();
        }
        current = ready.pollFirst();
        return current != null;
    }

    private void fill() {
        List<Map.Entry<byte[], byte[]>> live = view.engine().fetch(bucket, lowBound(), lowInclusive(), highBound(),
            highInclusive(), reverse, chunk);
        boolean liveDone = live.size() < chunk;
        chunk = Math.min(chunk * 2, MAX_CHUNK);
        byte[] edge = liveDone ? null : live.get(live.size() - 1).getKey();
        byte[] lo = reverse ? (edge == null ? start : edge) : position;
        boolean loInclusive = reverse || positionInclusive;
        byte[] hi = reverse ? position : (edge == null ? end : edge);
        boolean hiInclusive = reverse ? positionInclusive : edge != null;
        TreeMap<byte[], byte[]> merged = new TreeMap<>(Keys.ORDER);
        for (Map.Entry<byte[], byte[]> e : live) {
            merged.put(e.getKey(), e.getValue());
        }
        UndoLog[] logs = view.logs();
        for (int i = logs.length - 1; i >= 0; i--) {
            for (Map.Entry<byte[], byte[]> e : logs[i].range(bucket, lo, loInclusive, hi, hiInclusive).entrySet()) {
                byte[] v = e.getValue();
                merged.put(e.getKey().clone(), v == UndoLog.ABSENT ? v : v.clone());
            }
        }
        NavigableMap<byte[], byte[]> ordered = reverse ? merged.descendingMap() : merged;
        for (Map.Entry<byte[], byte[]> e : ordered.entrySet()) {
            byte[] v = e.getValue();
            if (v != UndoLog.ABSENT) {
                ready.addLast(new byte[][] {e.getKey(), v});
            }
        }
        if (liveDone) {
            exhausted = true;
        } else {
            position = edge;
            positionInclusive = false;
        }
    }

    private byte[] lowBound() {
        return reverse ? start : position;
    }

    private boolean lowInclusive() {
        return reverse || positionInclusive;
    }

    private byte[] highBound() {
        return reverse ? position : end;
    }

    private boolean highInclusive() {
        return reverse && positionInclusive;
    }

    @Override
    public byte[] key() {
        if (current == null) {
            throw new IllegalStateException("mapdb: cursor is not on an entry");
        }
        return current[0];
    }

    @Override
    public byte[] value() {
        if (current == null) {
            throw new IllegalStateException("mapdb: cursor is not on an entry");
        }
        return current[1];
    }

    @Override
    public void close() {
        ready.clear();
        current = null;
        exhausted = true;
    }
}
