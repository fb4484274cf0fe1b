package io.cairn.server.rpc;

import io.cairn.mvcc.watch.WatchableStore;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background steps of the watchable store, on one thread ({@code cairn-watch-sync}) that runs only while at
 * least one watch stream is open (etcd runs them for the life of the server; with no stream there is no watcher
 * to serve):
 * <ul>
 *   <li>{@link WatchableStore#syncWatchers()} every {@link #SYNC_INTERVAL} while watchers are unsynced, again
 *       after the time the round took when it made progress (etcd's {@code syncWatchersLoop});</li>
 *   <li>{@link WatchableStore#syncVictims()} every {@link #VICTIM_INTERVAL} while there are victims (etcd's
 *       {@code syncVictimsLoop});</li>
 *   <li>{@link WatchableStore#notifyProgress()} every progress interval plus a random jitter of up to a tenth
 *       (etcd's progress ticker, {@code GetProgressReportInterval}).</li>
 * </ul>
 * Thread-safe. A step that throws stops its loop (a broken watch invariant) after logging it.
 */
final class WatchPump {
    /** etcd's syncWatchersLoop wait. */
    static final Duration SYNC_INTERVAL = Duration.ofMillis(100);
    /** etcd's syncVictimsLoop tick. */
    static final Duration VICTIM_INTERVAL = Duration.ofMillis(10);
    /** etcd's default {@code --experimental-watch-progress-notify-interval}. */
    static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMinutes(10);
    /** etcd's {@code minWatchProgressInterval}. */
    static final Duration MIN_PROGRESS_INTERVAL = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(WatchPump.class);

    private final WatchableStore store;
    private final long progressNanos;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    /** Guarded by this. */
    private int openStreams;
    /** Guarded by this; null while no stream is open. */
    private ScheduledThreadPoolExecutor thread;

    WatchPump(WatchableStore store, Duration progressInterval, RandomGenerator random, LongSupplier nanoClock) {
        this.store = store;
        this.progressNanos = progressInterval(progressInterval).toNanos();
        this.random = random;
        this.nanoClock = nanoClock;
    }

    /** etcd's adjustment of the configured interval: unset (0) keeps 10 minutes, the minimum is 100 ms. */
    static Duration progressInterval(Duration configured) {
        if (configured.isZero() || configured.isNegative()) {
            return DEFAULT_PROGRESS_INTERVAL;
        }
        if (configured.compareTo(MIN_PROGRESS_INTERVAL) < 0) {
            LOG.warn("adjusting watch progress notify interval to minimum period {}", MIN_PROGRESS_INTERVAL);
            return MIN_PROGRESS_INTERVAL;
        }
        return configured;
    }

    /** A stream opened: starts the thread for the first one. */
    synchronized void streamOpened() {
        if (openStreams++ > 0) {
            return;
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "cairn-watch-sync");
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        t.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        t.setRemoveOnCancelPolicy(true);
        t.execute(() -> syncWatchers(t));
        t.scheduleWithFixedDelay(guarded(this::syncVictims), VICTIM_INTERVAL.toNanos(), VICTIM_INTERVAL.toNanos(),
            TimeUnit.NANOSECONDS);
        t.schedule(() -> notifyProgress(t), nextProgressDelayNanos(), TimeUnit.NANOSECONDS);
        thread = t;
    }

    /**
     * A stream closed: stops the thread with the last one. Never interrupts a running step (an interrupted backend
     * read can close an engine's files); the step finishes and nothing runs after it.
     */
    synchronized void streamClosed() {
        if (openStreams <= 0) {
            throw new IllegalStateException("watch pump: more streams closed than opened");
        }
        if (--openStreams == 0) {
            thread.shutdown();
            thread = null;
        }
    }

    synchronized boolean running() {
        return thread != null;
    }

    private void syncWatchers(ScheduledThreadPoolExecutor t) {
        long delay = SYNC_INTERVAL.toNanos();
        try {
            int before = store.unsyncedCount();
            if (before > 0) {
                long start = nanoClock.getAsLong();
                int after = store.syncWatchers();
                if (after != 0 && after < before) {
                    delay = Math.max(0, nanoClock.getAsLong() - start); // yield the time taken, as etcd does
                }
            }
        } catch (RuntimeException e) {
            LOG.error("watch sync failed; unsynced watchers are no longer caught up", e);
            throw e;
        }
        reschedule(t, () -> syncWatchers(t), delay);
    }

    private void syncVictims() {
        if (store.victimCount() > 0) {
            store.syncVictims();
        }
    }

    private void notifyProgress(ScheduledThreadPoolExecutor t) {
        guarded(store::notifyProgress).run();
        reschedule(t, () -> notifyProgress(t), nextProgressDelayNanos());
    }

    private synchronized long nextProgressDelayNanos() {
        return progressNanos + random.nextLong(progressNanos / 10 + 1);
    }

    private static void reschedule(ScheduledThreadPoolExecutor t, Runnable step, long delayNanos) {
        try {
            t.schedule(step, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // the last stream closed while this step ran: the loop ends here
        }
    }

    private static Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("watch background step failed", e);
                throw e;
            }
        };
    }
}
