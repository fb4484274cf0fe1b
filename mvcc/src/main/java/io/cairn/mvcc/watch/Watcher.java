package io.cairn.mvcc.watch;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One watcher (etcd's {@code watcher}): its range, filters and the next revision it needs, {@link #minRev}. Every
 * event of its range below minRev is already in its stream's buffer (or dropped by a filter, or held as its victim
 * batch); none at or above it is. Mutable state is guarded by the store's {@code mu}.
 */
final class Watcher {

    /** Where the watcher is; exactly one of the store's groups holds it while SYNCED, UNSYNCED or VICTIM. */
    enum State {
        /** Caught up: gets each new revision from the change listener. minRev > current revision, or equal + 1. */
        SYNCED,
        /** Behind: minRev &lt;= current revision; caught up from the backend by syncWatchers rounds. */
        UNSYNCED,
        /** Its buffer was full: holds {@link #pending} until syncVictims delivers it. */
        VICTIM,
        /** Canceled by compaction; stays known to its stream until the client cancels it (as etcd). */
        COMPACTED,
        /** Canceled by the client or by closing the stream; in no group. */
        CANCELED
    }

    final long id;
    final WatchStream stream;
    final KeyRange range;
    final Set<WatchFilter> filters;
    final boolean prevKv;
    final boolean progressNotify;
    long minRev;
    State state;
    /** The batch a victim could not deliver; null unless VICTIM. */
    WatchResponse pending;
    /** etcd's {@code sws.progress[id]}: no events were buffered since the last periodic progress tick. */
    boolean progressIdle = true;

    Watcher(WatchStream stream, long id, WatchRequest req) {
        this.stream = stream;
        this.id = id;
        this.range = req.range();
        this.filters = req.filters();
        this.prevKv = req.prevKv();
        this.progressNotify = req.progressNotify();
    }

    /** The events the client wants out of {@code events} (etcd's filter functions); may return the same list. */
    List<Event> filter(List<Event> events) {
        if (filters.isEmpty()) {
            return events;
        }
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            if (!dropped(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private boolean dropped(Event e) {
        for (WatchFilter f : filters) {
            if (f.drops(e)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Watcher[" + id + " " + range + " minRev=" + minRev + " " + state + "]";
    }
}
