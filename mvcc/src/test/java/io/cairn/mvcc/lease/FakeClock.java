package io.cairn.mvcc.lease;

import java.util.function.LongSupplier;

/** A monotonic nanosecond clock moved by hand; starts at an arbitrary negative value, as System.nanoTime may. */
final class FakeClock implements LongSupplier {
    private long now = -5_000_000_000L;

    @Override
    public long getAsLong() {
        return now;
    }

    long now() {
        return now;
    }

    void advanceSeconds(double seconds) {
        now += (long) (seconds * LeaseTime.NANOS_PER_SECOND);
    }

    void advanceNanos(long nanos) {
        now += nanos;
    }
}
