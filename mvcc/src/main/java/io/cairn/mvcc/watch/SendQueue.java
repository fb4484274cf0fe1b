package io.cairn.mvcc.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The bounded buffer between the watchable store and the server draining one stream. Event and progress
 * responses count against {@link WatchConfig#maxBufferedResponses()} and their events against
 * {@link WatchConfig#maxBufferedEvents()}; an offer that does not fit is refused and never waits. Created and
 * canceled responses always fit (at most two per watch request, so the requests bound them).
 *
 * <p>Thread-safe; its monitor is the innermost lock (taken with the store's {@code mu} held, never the reverse),
 * so draining never waits for writers or sync rounds. The wakeup runs after each response is buffered, outside
 * the monitor but possibly with the store's locks held (see {@link WatchStream#onBuffered}).
 */
final class SendQueue {
    private final int maxResponses;
    private final int maxEvents;
    private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
    private int counted;
    private int events;
    private boolean closed;
    private volatile Runnable wakeup = () -> { };

    SendQueue(WatchConfig config) {
        this.maxResponses = config.maxBufferedResponses();
        this.maxEvents = config.maxBufferedEvents();
    }

    void setWakeup(Runnable r) {
        wakeup = Objects.requireNonNull(r, "wakeup");
    }

    /** Offers an event response; false when it does not fit. A closed queue accepts and drops everything. */
    boolean offerEvents(WatchResponse r) {
        int n = r.events().size();
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (counted >= maxResponses || (events > 0 && events + n > maxEvents)) {
                return false;
            }
            queue.add(r);
            counted++;
            events += n;
        }
        wakeup.run();
        return true;
    }

    /** Offers a progress notification; false when the response limit is reached. */
    boolean offerProgress(WatchResponse r) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (counted >= maxResponses) {
                return false;
            }
            queue.add(r);
            counted++;
        }
        wakeup.run();
        return true;
    }

    /** Adds a created or canceled response; never refused. */
    void addControl(WatchResponse r) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(r);
        }
        wakeup.run();
    }

    synchronized WatchResponse poll() {
        WatchResponse r = queue.poll();
        if (r != null) {
            release(r);
        }
        return r;
    }

    synchronized List<WatchResponse> drain(int max) {
        List<WatchResponse> out = new ArrayList<>(Math.min(max, queue.size()));
        while (out.size() < max && !queue.isEmpty()) {
            WatchResponse r = queue.poll();
            release(r);
            out.add(r);
        }
        return out;
    }

    /** Drops the buffered event responses of a canceled watcher; its created response stays. */
    synchronized void dropEvents(long watchId) {
        Iterator<WatchResponse> it = queue.iterator();
        while (it.hasNext()) {
            WatchResponse r = it.next();
            if (r.watchId() == watchId && !r.isControl() && !r.events().isEmpty()) {
                it.remove();
                release(r);
            }
        }
    }

    private void release(WatchResponse r) {
        if (!r.isControl()) {
            counted--;
            events -= r.events().size();
        }
    }

    synchronized void close() {
        closed = true;
        queue.clear();
        counted = 0;
        events = 0;
    }

    synchronized int size() {
        return queue.size();
    }

    synchronized int bufferedEvents() {
        return events;
    }
}
