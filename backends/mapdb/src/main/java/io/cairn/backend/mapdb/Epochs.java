package io.cairn.backend.mapdb;

import io.cairn.backend.Bucket;
import java.util.Arrays;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's epoch counter, the registered undo logs (oldest first) and the open views. See the package
 * documentation for the publication order and why a view never loses a log it needs.
 */
final class Epochs {
    private static final UndoLog[] NONE = new UndoLog[0];

    /** One open view: its epoch and a unique id (several views share an epoch). */
    record Ticket(long epoch, long id) implements Comparable<Ticket> {
        @Override
        public int compareTo(Ticket o) {
            int c = Long.compare(epoch, o.epoch);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    private static final Ticket LOWEST = new Ticket(Long.MIN_VALUE, Long.MIN_VALUE);

    private volatile long epoch;
    /** Ascending tags; replaced, never mutated. Written under this. */
    private volatile UndoLog[] logs = NONE;
    private final ConcurrentSkipListSet<Ticket> open = new ConcurrentSkipListSet<>();
    private final AtomicLong ids = new AtomicLong();

    long epoch() {
        return epoch;
    }

    /** Registers a view at the current epoch; the re-check makes sure no collector missed it. */
    Ticket register() {
        while (true) {
            long e = epoch;
            Ticket t = new Ticket(e, ids.incrementAndGet());
            open.add(t);
            if (epoch == e) {
                return t;
            }
            open.remove(t);
        }
    }

    void unregister(Ticket t) {
        if (open.remove(t)) {
            collect();
        }
    }

    /** Registers the undo log of the apply in flight; must happen before the apply touches any map. */
    synchronized void add(UndoLog log) {
        UndoLog[] l = logs;
        if (l.length > 0 && l[l.length - 1].tag >= log.tag) {
            throw new IllegalStateException("mapdb: undo log tag " + log.tag + " <= newest " + l[l.length - 1].tag);
        }
        UndoLog[] next = Arrays.copyOf(l, l.length + 1);
        next[l.length] = log;
        logs = next;
    }

    /** Makes {@code tag} the epoch new views open at; called after the apply committed. */
    void publish(long tag) {
        epoch = tag;
    }

    /**
     * No open view, and no view opened later, has an epoch below the result: the minimum of the published epoch
     * (read first) and the oldest open view. What an apply with a tag at or below it replaced is unreachable.
     */
    long safeFloor() {
        long e = epoch;
        Ticket oldest = open.ceiling(LOWEST);
        return oldest == null ? e : Math.min(e, oldest.epoch());
    }

    /** Drops every log no open view can need: tag at or below {@link #safeFloor()}. */
    void collect() {
        long floor = safeFloor();
        UndoLog[] l = logs;
        if (l.length == 0 || l[0].tag > floor) {
            return;
        }
        synchronized (this) {
            l = logs;
            int k = 0;
            while (k < l.length && l[k].tag <= floor) {
                k++;
            }
            logs = k == l.length ? NONE : Arrays.copyOfRange(l, k, l.length);
        }
    }

    /** Logs a view at {@code viewEpoch} must consult, oldest first (read after the live data). */
    UndoLog[] logsAfter(long viewEpoch) {
        UndoLog[] l = logs;
        int i = 0;
        while (i < l.length && l[i].tag <= viewEpoch) {
            i++;
        }
        return i == 0 ? l : Arrays.copyOfRange(l, i, l.length);
    }

    /** The pre-image a view at {@code viewEpoch} must use for the key, or null to use the live value. */
    byte[] preImage(long viewEpoch, Bucket bucket, byte[] key) {
        for (UndoLog log : logs) {
            if (log.tag > viewEpoch) {
                byte[] pre = log.find(bucket, key);
                if (pre != null) {
                    return pre;
                }
            }
        }
        return null;
    }

    int retainedLogs() {
        return logs.length;
    }

    long retainedBytes() {
        long n = 0;
        for (UndoLog log : logs) {
            n += log.sizeBytes();
        }
        return n;
    }

    int openViews() {
        return open.size();
    }
}
