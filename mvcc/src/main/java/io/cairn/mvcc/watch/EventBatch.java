package io.cairn.mvcc.watch;

import io.cairn.mvcc.Event;
import java.util.List;

/**
 * The part of a watcher's catch-up events sent in one response (etcd's {@code eventBatch}): whole revisions only,
 * cut at the first revision that would take the batch past {@code maxEvents} (a single revision larger than that
 * still goes alone, so a transaction is never split). {@code moreRev} is the first revision left out, 0 if none.
 */
record EventBatch(List<Event> events, long moreRev) {

    /** Cuts {@code events} (revision-ordered) after at most maxEvents events, at a revision boundary. */
    static EventBatch cut(List<Event> events, int maxEvents) {
        if (events.size() <= maxEvents) {
            return new EventBatch(events, 0);
        }
        long lastRev = -1;
        int revStart = 0;
        for (int i = 0; i < events.size(); i++) {
            long rev = events.get(i).kv().modRevision();
            if (rev != lastRev) {
                lastRev = rev;
                revStart = i;
            }
            if (i >= maxEvents) {
                int end = revStart > 0 ? revStart : endOfRevision(events, revStart);
                if (end == events.size()) {
                    return new EventBatch(events, 0);
                }
                return new EventBatch(List.copyOf(events.subList(0, end)), events.get(end).kv().modRevision());
            }
        }
        return new EventBatch(events, 0);
    }

    private static int endOfRevision(List<Event> events, int from) {
        long rev = events.get(from).kv().modRevision();
        int i = from;
        while (i < events.size() && events.get(i).kv().modRevision() == rev) {
            i++;
        }
        return i;
    }
}
