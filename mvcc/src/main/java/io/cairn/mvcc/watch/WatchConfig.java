package io.cairn.mvcc.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the watch subsystem, validated once. Every buffer the watchable store fills is bounded by these.
 *
 * @param maxBufferedResponses event and progress responses a stream buffers before its watchers become victims
 *     (etcd's {@code chanBufLen}: 128); created/canceled responses are not counted (one per watch request)
 * @param maxBufferedEvents events a stream buffers; a batch that would exceed it is refused unless the buffer
 *     holds no events, and catch-up batches are cut at the first whole revision past it, so a stream holds at
 *     most this many events plus one transaction's worth
 * @param syncBatchRevisions distinct revisions read from the backend per {@link WatchableStore#syncWatchers()}
 *     round (etcd's {@code watchBatchMaxRevs}: 1000)
 * @param maxWatchersPerSync unsynced watchers served per round (etcd's {@code maxWatchersPerSync}: 512)
 * @param progressNotifyInterval how often the server should call {@link WatchableStore#notifyProgress()}
 *     (etcd {@code --experimental-watch-progress-notify-interval}: 10 min, at least 100 ms; the server adds
 *     etcd's jitter of up to a tenth)
 */
public record WatchConfig(
    int maxBufferedResponses,
    int maxBufferedEvents,
    int syncBatchRevisions,
    int maxWatchersPerSync,
    Duration progressNotifyInterval) {

    /** etcd's {@code minWatchProgressInterval}. */
    public static final Duration MIN_PROGRESS_NOTIFY_INTERVAL = Duration.ofMillis(100);
    public static final WatchConfig DEFAULT = new WatchConfig(128, 10_000, 1_000, 512, Duration.ofMinutes(10));

    public WatchConfig {
        checkRange("maxBufferedResponses", maxBufferedResponses, 1, 1_000_000);
        checkRange("maxBufferedEvents", maxBufferedEvents, 1, 100_000_000);
        checkRange("syncBatchRevisions", syncBatchRevisions, 1, 1_000_000);
        checkRange("maxWatchersPerSync", maxWatchersPerSync, 1, 1_000_000);
        Objects.requireNonNull(progressNotifyInterval, "progressNotifyInterval");
        if (progressNotifyInterval.compareTo(MIN_PROGRESS_NOTIFY_INTERVAL) < 0) {
            throw new IllegalArgumentException("progressNotifyInterval must be at least "
                + MIN_PROGRESS_NOTIFY_INTERVAL + ": " + progressNotifyInterval);
        }
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    public WatchConfig withBuffer(int responses, int events) {
        return new WatchConfig(responses, events, syncBatchRevisions, maxWatchersPerSync, progressNotifyInterval);
    }

    public WatchConfig withSyncBatch(int revisions, int watchers) {
        return new WatchConfig(maxBufferedResponses, maxBufferedEvents, revisions, watchers, progressNotifyInterval);
    }
}
