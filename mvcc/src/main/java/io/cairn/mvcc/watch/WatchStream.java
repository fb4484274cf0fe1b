package io.cairn.mvcc.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The watchers of one client stream and the bounded buffer of their responses (etcd's {@code watchStream} with
 * its channel). The server's receive side calls {@link #watch}, {@link #cancel} and {@link #requestProgress};
 * its send side drains with {@link #poll()} or {@link #drain(int)} and turns each {@link WatchResponse} into a
 * gRPC message. Responses come out in the order they were buffered: a watcher's created response before its
 * events, its events in revision order, a progress response after every event it covers.
 *
 * <p>Thread-safe. Draining takes only the buffer's monitor, so it never waits for writers or sync rounds.
 */
public final class WatchStream implements AutoCloseable {
    /** etcd's {@code AutoWatchID}: let the stream choose the id. */
    public static final long AUTO_ID = 0;
    /** etcd's {@code InvalidWatchID}: refused requests, and progress responses for the whole stream. */
    public static final long INVALID_ID = -1;
    /** etcd's {@code ErrEmptyWatcherRange} text (also what etcd answers on a closed stream). */
    public static final String ERR_EMPTY_RANGE = "mvcc: watcher range is empty";
    /** etcd's {@code ErrWatcherDuplicateID} text. */
    public static final String ERR_DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";

    private final WatchableStore store;
    final SendQueue queue;
    /** Guarded by the store's mu, like everything below. */
    private final Map<Long, Watcher> watchers = new HashMap<>();
    private long nextId;
    private boolean closed;

    WatchStream(WatchableStore store, SendQueue queue) {
        this.store = store;
        this.queue = queue;
    }

    /**
     * Creates a watcher (etcd's {@code Watch}) and buffers its created response, or, when refused, a created and
     * canceled response with watch id -1 and etcd's reason: an empty range ({@code end <= key}) or an id already
     * used on this stream. Auto ids count up from 0 on each stream, skipping ids the client chose (etcd 3.5).
     *
     * @return the watch id, or {@link #INVALID_ID} when refused or the stream is closed
     */
    public long watch(WatchRequest req) {
        store.mu.lock();
        try {
            if (closed) {
                return INVALID_ID;
            }
            if (req.range().isEmpty()) {
                return refuse(ERR_EMPTY_RANGE);
            }
            long id = req.watchId();
            if (id == AUTO_ID) {
                while (watchers.containsKey(nextId)) {
                    nextId++;
                }
                id = nextId++;
            } else if (watchers.containsKey(id)) {
                return refuse(ERR_DUPLICATE_ID);
            }
            watchers.put(id, store.register(this, id, req));
            return id;
        } finally {
            store.mu.unlock();
        }
    }

    private long refuse(String reason) {
        queue.addControl(WatchResponse.createFailed(store.currentRev(), reason));
        return INVALID_ID;
    }

    /**
     * Refuses a create request the server answers itself before it reaches the store (etcd: a negative start
     * revision, a permission error): buffers a created and canceled response with watch id -1 and {@code reason},
     * in order with the stream's other responses, as {@link #watch} does for the requests it refuses. Nothing
     * on a closed stream.
     */
    public void reject(String reason) {
        store.mu.lock();
        try {
            if (!closed) {
                refuse(reason);
            }
        } finally {
            store.mu.unlock();
        }
    }

    /**
     * Sets what runs after each response is buffered (the server wakes its send side with it; replaces the
     * previous one). It runs on whichever thread buffered the response, often the store's writer with the store's
     * write lock and {@code mu} held: it must return quickly, never block and never call into this stream or the
     * store (hand the work to another thread). Responses buffered before it is set do not run it.
     */
    public void onBuffered(Runnable wakeup) {
        queue.setWakeup(wakeup);
    }

    /**
     * Cancels a watcher (etcd's {@code Cancel}): drops its buffered event responses and buffers a canceled
     * response. A watcher canceled by compaction is still known until this is called, as in etcd.
     *
     * @return false when no such watcher exists (etcd's {@code ErrWatcherNotExist}; the server sends nothing)
     */
    public boolean cancel(long id) {
        store.mu.lock();
        try {
            Watcher w = watchers.get(id);
            if (closed || w == null) {
                return false;
            }
            store.unregister(w);
            watchers.remove(id);
            queue.dropEvents(id);
            queue.addControl(WatchResponse.canceled(id, store.currentRev()));
            store.retryDeferredProgress();
            return true;
        } finally {
            store.mu.unlock();
        }
    }

    /**
     * A client's progress request (etcd's {@code RequestProgressAll}): a progress response with watch id -1 and
     * the current revision once every watcher of the stream is synced. Deferred while any is not (or the buffer
     * is full) and sent by a later sync step; requests made meanwhile fold into that one response.
     */
    public void requestProgress() {
        store.mu.lock();
        try {
            if (!closed) {
                store.requestProgress(this);
            }
        } finally {
            store.mu.unlock();
        }
    }

    /** The next buffered response, or null when none. */
    public WatchResponse poll() {
        return queue.poll();
    }

    /** Up to {@code max} buffered responses, oldest first. */
    public List<WatchResponse> drain(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        return queue.drain(max);
    }

    /** Buffered responses, of every kind. */
    public int bufferedResponses() {
        return queue.size();
    }

    /** Buffered events. */
    public int bufferedEvents() {
        return queue.bufferedEvents();
    }

    /** etcd's {@code Rev}: the store's current revision, for headers of responses the server makes itself. */
    public long revision() {
        return store.currentRevision();
    }

    /** The ids of this stream's watchers, including ones canceled by compaction and not yet by the client. */
    public List<Long> watchIds() {
        store.mu.lock();
        try {
            return new ArrayList<>(watchers.keySet());
        } finally {
            store.mu.unlock();
        }
    }

    /** Caller holds the store's mu. */
    Collection<Watcher> watchers() {
        return watchers.values();
    }

    /** Cancels every watcher and drops everything buffered. Idempotent. */
    @Override
    public void close() {
        store.mu.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Watcher w : watchers.values()) {
                store.unregister(w);
            }
            watchers.clear();
            queue.close();
            store.streamClosed(this);
        } finally {
            store.mu.unlock();
        }
    }
}
