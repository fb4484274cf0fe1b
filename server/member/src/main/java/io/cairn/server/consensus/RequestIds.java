package io.cairn.server.consensus;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique request IDs, etcd's {@code idutil.Generator}: the low 16 bits of the member ID in the top 16 bits, then
 * 40 bits of the start time in milliseconds and an 8-bit counter, the lower 48 bits incremented as one counter. IDs
 * from one member never repeat within a run, and a restart moves the time part forward. Thread-safe.
 */
public final class RequestIds {
    private static final int SUFFIX_BITS = 48;
    private static final int COUNTER_BITS = 8;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;

    private final long prefix;
    private final AtomicLong suffix;

    public RequestIds(long memberId, long nowMillis) {
        this.prefix = (memberId & 0xFFFF) << SUFFIX_BITS;
        this.suffix = new AtomicLong((nowMillis << COUNTER_BITS) & SUFFIX_MASK);
    }

    public long next() {
        return prefix | (suffix.incrementAndGet() & SUFFIX_MASK);
    }
}
