package io.cairn.mvcc.lease;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lease IDs for grants that name none, as etcd's {@code idutil.Generator} makes them: the low 16 bits of the
 * member ID, then 40 bits of the wall-clock milliseconds at start, then an 8-bit counter that carries into the
 * timestamp; the top bit is cleared so IDs are positive, and 0 is skipped. Unique per member across restarts
 * as long as fewer than 256 IDs per millisecond of uptime are drawn. The server draws the ID before proposing
 * the grant, so every member applies the same one. Thread-safe.
 */
public final class LeaseIdGenerator {
    private static final int TIMESTAMP_BITS = 40;
    private static final int COUNTER_BITS = 8;
    private static final int SUFFIX_BITS = TIMESTAMP_BITS + COUNTER_BITS;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;

    private final long prefix;
    private final AtomicLong suffix;

    /**
     * @param memberId the member's ID; only its low 16 bits are used
     * @param wallMillis wall-clock time in milliseconds since the epoch, read once from the injected clock
     */
    public LeaseIdGenerator(long memberId, long wallMillis) {
        this.prefix = (memberId & 0xFFFF) << SUFFIX_BITS;
        long timestamp = wallMillis & ((1L << TIMESTAMP_BITS) - 1);
        this.suffix = new AtomicLong(timestamp << COUNTER_BITS);
    }

    /** The next positive, nonzero ID. */
    public long next() {
        while (true) {
            long id = (prefix | (suffix.incrementAndGet() & SUFFIX_MASK)) & Long.MAX_VALUE;
            if (id != 0) {
                return id;
            }
        }
    }
}
