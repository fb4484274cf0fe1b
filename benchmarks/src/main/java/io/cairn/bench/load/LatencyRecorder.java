package io.cairn.bench.load;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of successful requests, recorded from any number of threads without locks: an HdrHistogram
 * {@link Recorder} (3 significant digits, auto-resizing) for percentiles and the histogram, plus exact count, sum,
 * sum of squares, fastest and slowest for etcd's Average/Stddev/Fastest/Slowest.
 */
public final class LatencyRecorder {
    static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();
    private final DoubleAdder sumSquaredSeconds = new DoubleAdder();
    private final LongAccumulator fastestNanos = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator slowestNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

    /** One request's latency; negative values (a clock that went backwards) count as 0. */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        recorder.recordValue(n);
        count.increment();
        sumNanos.add(n);
        double seconds = n / 1e9;
        sumSquaredSeconds.add(seconds * seconds);
        fastestNanos.accumulate(n);
        slowestNanos.accumulate(n);
    }

    public long count() {
        return count.sum();
    }

    /** Everything recorded so far; call after the recording threads are done for exact figures. */
    public Snapshot snapshot() {
        long n = count.sum();
        return new Snapshot(recorder.getIntervalHistogram(), n, sumNanos.sum(), sumSquaredSeconds.sum(),
            n == 0 ? 0 : fastestNanos.get(), n == 0 ? 0 : slowestNanos.get());
    }

    /** A frozen copy; {@code histogram} belongs to the snapshot. */
    public record Snapshot(Histogram histogram, long count, long sumNanos, double sumSquaredSeconds,
                           long fastestNanos, long slowestNanos) {
    }
}
