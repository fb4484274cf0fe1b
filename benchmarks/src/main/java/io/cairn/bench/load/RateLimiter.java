package io.cairn.bench.load;

/**
 * etcd's {@code rate.NewLimiter(rate, 1)} as reservations: {@link #reserve} hands out start times spaced
 * {@code 1s / ratePerSecond} apart and says how long the caller must wait for its slot, never blocking. A limiter left
 * idle past its next slot does not bank permits (burst 1): the next request starts at once. Thread-safe.
 */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePerSecond;
    private boolean started;
    /** Slots are {@code origin + k * 1s / rate}: no rounding drift accumulates. */
    private long originNanos;
    private long granted;

    RateLimiter(long ratePerSecond) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second, got " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
    }

    /** Takes the next slot; returns the nanoseconds from {@code nowNanos} until it, 0 for now. */
    synchronized long reserve(long nowNanos) {
        if (!started || nowNanos - slot(granted) > 0) {
            started = true;
            originNanos = nowNanos;
            granted = 0;
        }
        long at = slot(granted);
        granted++;
        return Math.max(0, at - nowNanos);
    }

    private long slot(long k) {
        return originNanos + Math.multiplyExact(k, NANOS_PER_SECOND) / ratePerSecond;
    }
}
