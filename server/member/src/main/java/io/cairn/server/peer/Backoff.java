package io.cairn.server.peer;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: {@code min}, doubling per failed attempt up to {@code max}, each drawn uniformly from
 * {@code [d/2, d]} ("equal jitter") so peers that lost each other at once do not redial in lockstep. Not
 * thread-safe: one per peer, used on its event loop.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private long nextMillis;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.random = random;
        this.nextMillis = minMillis;
    }

    /** The delay before the next attempt, in milliseconds, within {@code [min/2, max]}. */
    long nextDelayMillis() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return d / 2 + random.nextLong(d - d / 2 + 1);
    }

    /** A connection succeeded: start again from {@code min}. */
    void reset() {
        nextMillis = minMillis;
    }
}
