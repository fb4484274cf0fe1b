package io.cairn.mvcc.lease;

/**
 * Time arithmetic of leases on a monotonic nanosecond clock, with etcd's roundings. An expiry of
 * {@link #FOREVER} means "never" (etcd's zero {@code time.Time}): a lessor that is not the primary never
 * expires leases.
 */
final class LeaseTime {
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The expiry of a lease that does not expire; its remaining time is {@code Long.MAX_VALUE} nanoseconds. */
    static final long FOREVER = Long.MAX_VALUE;

    private LeaseTime() {
    }

    /** {@code now + extendNanos + seconds}, saturated just below {@link #FOREVER} so it never wraps. */
    static long expiry(long nowNanos, long extendNanos, long seconds) {
        long ttlNanos = seconds > (FOREVER - 1) / NANOS_PER_SECOND ? FOREVER - 1 : seconds * NANOS_PER_SECOND;
        return saturatedAdd(saturatedAdd(nowNanos, extendNanos), ttlNanos);
    }

    /** {@code a + b} clamped to {@code [Long.MIN_VALUE, FOREVER - 1]}: finite times never become FOREVER. */
    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : FOREVER - 1;
        }
        return Math.min(sum, FOREVER - 1);
    }

    /**
     * Nanoseconds left until {@code expiryNanos} (negative once past, clamped below {@code Long.MAX_VALUE});
     * {@code Long.MAX_VALUE} for FOREVER.
     */
    static long remainingNanos(long expiryNanos, long nowNanos) {
        return expiryNanos == FOREVER ? Long.MAX_VALUE : saturatedAdd(expiryNanos, -nowNanos);
    }

    /**
     * The TTL a TimeToLive answer reports: etcd's {@code int64(lease.Remaining().Seconds())}, i.e. whole seconds
     * truncated toward zero (9.9 s is 9, -0.5 s is 0, a lease that never expires 9223372036).
     */
    static long truncatedSeconds(long remainingNanos) {
        return remainingNanos / NANOS_PER_SECOND;
    }

    /** Whole seconds rounded up, as etcd's checkpoints ({@code math.Ceil(remaining.Seconds())}): 4.1 s is 5. */
    static long ceilSeconds(long nanos) {
        return -Math.floorDiv(-nanos, NANOS_PER_SECOND);
    }
}
