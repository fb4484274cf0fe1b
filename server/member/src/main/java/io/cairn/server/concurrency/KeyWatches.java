package io.cairn.server.concurrency;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.watch.WatchRequest;
import io.cairn.mvcc.watch.WatchResponse;
import io.cairn.mvcc.watch.WatchStream;
import io.cairn.mvcc.watch.WatchableStore;
import io.cairn.server.consensus.AppliedIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of the server-side lock and election services: one {@link WatchStream} on the member's
 * {@link WatchableStore}, drained by one daemon thread ({@code cairn-concurrency-watch}) that hands each watch's
 * events to its {@link Listener}, in revision order.
 *
 * <p>When the thread runs ("pumps"): when a watch is added (a watch from an old revision catches up through
 * {@link WatchableStore#syncWatchers()}), whenever the applied index passes the one seen at the previous pump
 * (every write reaches the stream's buffer while its entry is applied, before the index moves), and, while some
 * watcher of the store is still behind or a victim, after {@link #SYNC_RETRY_MILLIS} (etcd's watch resync period).
 * Nothing runs while no watch is open. Watches are added, canceled and drained on the thread only, so no event can
 * arrive for a watch before its listener is known.
 *
 * <p>Thread-safe. Listeners run on the watch thread and must not block.
 */
public final class KeyWatches implements AutoCloseable {
    /** How soon the thread pumps again while watchers are behind (etcd's 100 ms resync period). */
    static final long SYNC_RETRY_MILLIS = 100;
    /** Responses drained per pass. */
    private static final int DRAIN_BATCH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(KeyWatches.class);

    /** Told about one watch; called on the watch thread. */
    public interface Listener {
        /** Events of one or more revisions, in order; {@code revision} is the store revision seen up to. */
        void events(List<Event> events, long revision);

        /** The watch ended without being canceled: compacted ({@code compactRevision > 0}) or refused (0). */
        void ended(long compactRevision);
    }

    /** A watch; {@link #cancel()} stops its events. */
    public interface Watch {
        void cancel();
    }

    private final WatchableStore store;
    private final AppliedIndex applied;
    private final WatchStream stream;
    private final ScheduledThreadPoolExecutor thread;
    private final Map<Long, Listener> listeners = new HashMap<>();
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private CompletableFuture<Void> wake = CompletableFuture.completedFuture(null);
    private boolean retryQueued;

    public KeyWatches(WatchableStore store, AppliedIndex applied) {
        this.store = store;
        this.applied = applied;
        this.stream = store.newStream();
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cairn-concurrency-watch");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Watches {@code request} (its id must be auto); the listener hears of every revision from its start. */
    public Watch watch(WatchRequest request, Listener listener) {
        Registration r = new Registration(request, listener);
        run(r::register);
        return r;
    }

    private final class Registration implements Watch {
        private final WatchRequest request;
        private final Listener listener;
        private long id = WatchStream.INVALID_ID;
        private boolean canceled;

        Registration(WatchRequest request, Listener listener) {
            this.request = request;
            this.listener = listener;
        }

        /** On the thread. */
        void register() {
            if (canceled) {
                return;
            }
            id = stream.watch(request);
            if (id == WatchStream.INVALID_ID) {
                listener.ended(0);
                return;
            }
            listeners.put(id, listener);
            pump();
        }

        @Override
        public void cancel() {
            run(() -> {
                canceled = true;
                if (id != WatchStream.INVALID_ID && listeners.remove(id) != null) {
                    stream.cancel(id);
                }
            });
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("concurrency watch thread stopped; dropped a task");
        }
    }

    private void requestPump() {
        if (pumpQueued.compareAndSet(false, true)) {
            run(this::pump);
        }
    }

    /** On the thread: catch up, deliver, and arrange the next pump. */
    private void pump() {
        pumpQueued.set(false);
        long seen = applied.get();
        int behind = store.syncWatchers();
        if (store.victimCount() > 0) {
            store.syncVictims();
            behind++;
        }
        for (List<WatchResponse> batch = stream.drain(DRAIN_BATCH); !batch.isEmpty();
            batch = stream.drain(DRAIN_BATCH)) {
            batch.forEach(this::dispatch);
        }
        if (listeners.isEmpty()) {
            return;
        }
        if (wake.isDone()) {
            wake = applied.await(seen + 1);
            wake.whenComplete((x, err) -> requestPump());
        }
        if (behind > 0 && !retryQueued) {
            retryQueued = true;
            thread.schedule(() -> {
                retryQueued = false;
                pump();
            }, SYNC_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void dispatch(WatchResponse r) {
        Listener l = listeners.get(r.watchId());
        if (l == null) {
            return;
        }
        try {
            if (!r.events().isEmpty()) {
                l.events(r.events(), r.revision());
            }
            if (r.canceled()) {
                listeners.remove(r.watchId());
                l.ended(r.compactRevision());
            }
        } catch (RuntimeException e) {
            LOG.warn("watch listener failed on watch {}", r.watchId(), e);
        }
    }

    /** Stops the thread and closes the stream; open watches hear nothing more. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("concurrency watch thread did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stream.close();
    }
}
