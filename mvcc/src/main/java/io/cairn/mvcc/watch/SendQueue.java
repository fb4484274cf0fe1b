package io.cairn.mvcc.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The bounded buffer between the watchable store and the server draining one stream. Event and progress
 * responses count against {@link WatchConfig#maxBufferedResponses()} and their events against
 * {@link WatchConfig#maxBufferedEvents()}; an offer that does not fit is refused and never waits. Created and
 * canceled responses always fit (at most two per watch request, so the requests bound them).
 *
 * <p>Thread-safe; its monitor is the innermost lock (taken with the store's {@code mu} held, never the reverse),
 * so draining never waits for writers or sync rounds.
 */
final class SendQueue {
    private final int maxResponses;
    private final int maxEvents;
    private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
    private int counted;
    private int events;
    private boolean closed;

    SendQueue(WatchConfig config) {
        this.maxResponses = config.maxBufferedResponses();
        this.maxEvents = config.maxBufferedEvents();
    }

    /** Offers an event response; false when it does not fit. A closed queue accepts and drops everything. */
    synchronized boolean offerEvents(WatchResponse r) {
        int n = r.events().size();
        if (closed) {
            return true;
        }
        if (counted >= maxResponses || (events > 0 && events + n > maxEvents)) {
            return false;
        }
        queue.add(r);
        counted++;
        events += n;
        return true;
    }

    /** Offers a progress notification; false when the response limit is reached. */
    synchronized boolean offerProgress(WatchResponse r) {
        if (closed) {
            return true;
        }
        if (counted >= maxResponses) {
            return false;
        }
        queue.add(r);
        counted++;
        return true;
    }

    /** Adds a created or canceled response; never refused. */
    synchronized void addControl(WatchResponse r) {
        if (!closed) {
            queue.add(r);
        }
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
