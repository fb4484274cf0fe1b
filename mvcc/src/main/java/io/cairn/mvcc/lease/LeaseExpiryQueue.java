package io.cairn.mvcc.lease;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The primary's expiry queue (etcd's {@code LeaseExpiredNotifier}): at most one deadline per lease, the earliest
 * first; registering a lease again moves its deadline. Entries of revoked leases are dropped lazily by the reader.
 * Not thread-safe: used under the lessor's state lock.
 */
final class LeaseExpiryQueue {
    private final TreeSet<LeaseDeadline> queue = new TreeSet<>(LeaseDeadline.ORDER);
    private final Map<Long, Long> timeById = new HashMap<>();

    /** Sets the deadline of {@code id}, replacing any earlier one. */
    void registerOrUpdate(long id, long timeNanos) {
        Long old = timeById.put(id, timeNanos);
        if (old != null) {
            queue.remove(new LeaseDeadline(old, id));
        }
        queue.add(new LeaseDeadline(timeNanos, id));
    }

    /** The earliest deadline, or null when empty. */
    LeaseDeadline peek() {
        return queue.isEmpty() ? null : queue.first();
    }

    void remove(long id) {
        Long old = timeById.remove(id);
        if (old != null) {
            queue.remove(new LeaseDeadline(old, id));
        }
    }

    int size() {
        return queue.size();
    }

    void clear() {
        queue.clear();
        timeById.clear();
    }
}
