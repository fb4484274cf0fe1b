package io.cairn.mvcc.watch;

import io.cairn.mvcc.KeyRange;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a client asks to watch (etcd's {@code WatchCreateRequest} after the server's normalisation: an empty key is
 * {@code "\0"}, range_end {@code "\0"} means every key from {@code key}).
 *
 * @param range the keys watched
 * @param startRevision first revision wanted; 0 means "after the current revision". Never negative: etcd's server
 *     answers a negative start revision itself (created and canceled, "required revision has been compacted")
 * @param filters event types dropped before delivery
 * @param prevKv carried to every response of this watcher; the server reads and fills the previous values
 * @param progressNotify whether {@link WatchableStore#notifyProgress()} reports progress to this watcher when idle
 * @param watchId the client's id, or {@link WatchStream#AUTO_ID} to let the stream choose one
 */
public record WatchRequest(
    KeyRange range,
    long startRevision,
    Set<WatchFilter> filters,
    boolean prevKv,
    boolean progressNotify,
    long watchId) {

    public WatchRequest {
        Objects.requireNonNull(range, "range");
        if (startRevision < 0) {
            throw new IllegalArgumentException("startRevision must not be negative: " + startRevision);
        }
        filters = filters.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(filters));
    }

    /** Watches {@code range} from the next revision, no filters, auto id. */
    public static WatchRequest of(KeyRange range) {
        return new WatchRequest(range, 0, Set.of(), false, false, WatchStream.AUTO_ID);
    }

    public WatchRequest fromRevision(long rev) {
        return new WatchRequest(range, rev, filters, prevKv, progressNotify, watchId);
    }

    public WatchRequest withFilters(Set<WatchFilter> newFilters) {
        return new WatchRequest(range, startRevision, newFilters, prevKv, progressNotify, watchId);
    }

    public WatchRequest withPrevKv(boolean on) {
        return new WatchRequest(range, startRevision, filters, on, progressNotify, watchId);
    }

    public WatchRequest withProgressNotify(boolean on) {
        return new WatchRequest(range, startRevision, filters, prevKv, on, watchId);
    }

    public WatchRequest withWatchId(long id) {
        return new WatchRequest(range, startRevision, filters, prevKv, progressNotify, id);
    }
}
