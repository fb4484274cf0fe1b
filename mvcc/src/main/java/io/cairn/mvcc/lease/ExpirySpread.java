package io.cairn.mvcc.lease;

import java.util.Arrays;

/**
 * etcd's pile-up avoidance on promotion: when a new leader refreshes many leases at once, leases whose expiries
 * fall in the same one-second window beyond {@code 3/4} of the revoke rate are pushed back, so that no second
 * has more expiries than the revoker can hand out and other leases still expire on time.
 *
 * <p>Walking leases by remaining time: a lease more than the current window's end after the window's base starts
 * a new window of one second; otherwise it counts toward the window, and once the count passes
 * {@code target = 3 * rate / 4} the lease is delayed by {@code 1 s * count / target - (remaining - base)} and the
 * window's end moves to {@code base + delay}. With rate 4 (target 3) and six leases all 10 s out, the fourth,
 * fifth and sixth are delayed by 1.33 s, 1.67 s and 2 s.
 */
final class ExpirySpread {
    /** Marks a lease that keeps its expiry. */
    static final long UNCHANGED = Long.MIN_VALUE;

    private ExpirySpread() {
    }

    /**
     * The delay to add to each lease's refreshed expiry.
     *
     * @param remainingNanos every lease's remaining time after the refresh, ascending
     * @param revokeRatePerSecond the lessor's revoke rate
     * @return per lease, the delay in nanoseconds or {@link #UNCHANGED}
     */
    static long[] delays(long[] remainingNanos, int revokeRatePerSecond) {
        long[] delays = new long[remainingNanos.length];
        Arrays.fill(delays, UNCHANGED);
        if (remainingNanos.length == 0) {
            return delays;
        }
        long target = Math.max(1, (3L * revokeRatePerSecond) / 4);
        long baseWindow = remainingNanos[0];
        long nextWindow = LeaseTime.saturatedAdd(baseWindow, LeaseTime.NANOS_PER_SECOND);
        long expires = 0;
        for (int i = 0; i < remainingNanos.length; i++) {
            long remaining = remainingNanos[i];
            if (remaining > nextWindow) {
                baseWindow = remaining;
                nextWindow = LeaseTime.saturatedAdd(baseWindow, LeaseTime.NANOS_PER_SECOND);
                expires = 1;
                continue;
            }
            expires++;
            if (expires <= target) {
                continue;
            }
            double rateDelay = LeaseTime.NANOS_PER_SECOND * ((double) expires / target);
            rateDelay -= remaining - baseWindow;
            long delay = (long) rateDelay;
            nextWindow = LeaseTime.saturatedAdd(baseWindow, delay);
            delays[i] = delay;
        }
        return delays;
    }
}
