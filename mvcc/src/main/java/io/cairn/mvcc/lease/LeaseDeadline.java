package io.cairn.mvcc.lease;

import java.util.Comparator;

/** A lease ID due at a time on the lessor's clock; ordered by time, then ID so that ties are deterministic. */
record LeaseDeadline(long timeNanos, long id) {
    static final Comparator<LeaseDeadline> ORDER = Comparator.comparingLong(LeaseDeadline::timeNanos)
        .thenComparingLong(LeaseDeadline::id);
}
