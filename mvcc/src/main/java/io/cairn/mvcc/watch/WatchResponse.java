package io.cairn.mvcc.watch;

import io.cairn.mvcc.Event;
import java.util.List;
import java.util.Objects;

/**
 * One response of a {@link WatchStream}, as the server turns it into etcd's {@code WatchResponse} (it adds the
 * header's cluster, member and term, fills {@code prev_kv} where {@link #prevKv()} asks for it, and fragments).
 * Kinds, told apart by the flags:
 * <ul>
 *   <li>events: {@code events} non-empty, all events of each revision it covers (a transaction is never split),
 *       in revision order; {@code revision} is the store revision the watcher has seen up to, at least the last
 *       event's revision;</li>
 *   <li>progress: no events, no flags; every event of the watcher (or, with watch id -1, of every watcher of the
 *       stream) up to {@code revision} is in earlier responses;</li>
 *   <li>created: {@code created}, and {@code canceled} with {@code cancelReason} and watch id -1 when the request
 *       was refused;</li>
 *   <li>canceled: by the client, or by compaction with {@code compactRevision > 0} (then {@code revision} is 0,
 *       as etcd sends it).</li>
 * </ul>
 *
 * @param events immutable; shared between the watchers of one write, never mutate the key-values
 */
public record WatchResponse(
    long watchId,
    List<Event> events,
    long revision,
    long compactRevision,
    boolean created,
    boolean canceled,
    String cancelReason,
    boolean prevKv) {

    public WatchResponse {
        events = List.copyOf(events);
        Objects.requireNonNull(cancelReason, "cancelReason");
    }

    static WatchResponse created(long watchId, long rev) {
        return new WatchResponse(watchId, List.of(), rev, 0, true, false, "", false);
    }

    static WatchResponse createFailed(long rev, String reason) {
        return new WatchResponse(WatchStream.INVALID_ID, List.of(), rev, 0, true, true, reason, false);
    }

    static WatchResponse events(long watchId, List<Event> events, long rev, boolean prevKv) {
        return new WatchResponse(watchId, events, rev, 0, false, false, "", prevKv);
    }

    static WatchResponse progress(long watchId, long rev) {
        return new WatchResponse(watchId, List.of(), rev, 0, false, false, "", false);
    }

    static WatchResponse canceled(long watchId, long rev) {
        return new WatchResponse(watchId, List.of(), rev, 0, false, true, "", false);
    }

    static WatchResponse compacted(long watchId, long compactRev) {
        return new WatchResponse(watchId, List.of(), 0, compactRev, false, true, "", false);
    }

    WatchResponse withRevision(long rev) {
        return new WatchResponse(watchId, events, rev, compactRevision, created, canceled, cancelReason, prevKv);
    }

    /** A progress notification: no events and no created/canceled flag. */
    public boolean isProgress() {
        return events.isEmpty() && !created && !canceled;
    }

    /** Created and canceled responses: never refused by a full buffer, never counted against its limits. */
    boolean isControl() {
        return created || canceled;
    }
}
