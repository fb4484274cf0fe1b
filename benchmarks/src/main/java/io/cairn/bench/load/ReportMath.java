package io.cairn.bench.load;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The arithmetic of etcd's report ({@code pkg/report}), on an HdrHistogram instead of a sorted slice of every latency.
 * Percentiles and bucket counts are therefore at the histogram's resolution (3 significant digits: within 0.1 %);
 * fastest, slowest, average and stddev are exact.
 */
final class ReportMath {
    static final int HISTOGRAM_BUCKETS = 10;
    private static final double NANOS_PER_SECOND = 1e9;

    private ReportMath() {
    }

    /** Builds the stats of a finished run. */
    static LoadStats stats(String operation, String label, long totalNanos, LatencyRecorder.Snapshot latencies,
                           List<ErrorTally.ErrorCount> errors) {
        return new LoadStats(operation, label, totalNanos, latencies.count(),
            requestsPerSecond(latencies.count(), totalNanos), latency(latencies), errors);
    }

    /** etcd's Requests/sec: successful requests over the run's wall time; 0 for an empty run. */
    static double requestsPerSecond(long succeeded, long totalNanos) {
        return totalNanos <= 0 ? 0 : succeeded * NANOS_PER_SECOND / totalNanos;
    }

    static LoadStats.Latency latency(LatencyRecorder.Snapshot s) {
        if (s.count() == 0) {
            return new LoadStats.Latency(0, 0, 0, 0, LoadStats.PERCENTILES.stream().map(p -> 0.0).toList(),
                List.of());
        }
        double average = s.sumNanos() / NANOS_PER_SECOND / s.count();
        double variance = Math.max(0, s.sumSquaredSeconds() / s.count() - average * average);
        return new LoadStats.Latency(s.fastestNanos() / NANOS_PER_SECOND, s.slowestNanos() / NANOS_PER_SECOND,
            average, Math.sqrt(variance), percentiles(s.histogram(), s.fastestNanos(), s.slowestNanos()),
            buckets(s.histogram(), s.fastestNanos(), s.slowestNanos()));
    }

    /**
     * Latency in seconds at each of {@link LoadStats#PERCENTILES} by etcd's rule: sort the {@code n} latencies and
     * take the one at 0-based rank {@code ceil(p * (n + 1) / 100) - 1}, clamped to {@code [0, n - 1]}. Here the rank
     * is found in the histogram's cumulative counts and the value is its bucket's upper end, clamped to the exact
     * {@code [fastestNanos, slowestNanos]}.
     */
    static List<Double> percentiles(Histogram h, long fastestNanos, long slowestNanos) {
        long n = h.getTotalCount();
        List<Double> out = new ArrayList<>();
        for (double p : LoadStats.PERCENTILES) {
            out.add(n == 0 ? 0.0 : Math.min(slowestNanos, Math.max(fastestNanos, valueAtRank(h, etcdRank(p, n))))
                / NANOS_PER_SECOND);
        }
        return out;
    }

    /** etcd's {@code percentiles()} index into the sorted latencies. */
    static long etcdRank(double p, long n) {
        long idx = (long) Math.ceil(p * (n + 1) / 100.0) - 1;
        return Math.max(0, Math.min(n - 1, idx));
    }

    /** The value of the latency at 0-based {@code rank} in sorted order, at the histogram's resolution. */
    private static long valueAtRank(Histogram h, long rank) {
        long seen = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            seen += v.getCountAtValueIteratedTo();
            if (seen > rank) {
                return h.highestEquivalentValue(v.getValueIteratedTo());
            }
        }
        return h.getMaxValue();
    }

    /**
     * etcd's response time histogram: {@link #HISTOGRAM_BUCKETS} equal-width buckets from fastest to slowest plus one
     * at slowest. A recorded value belongs to the first bucket whose bound is at or above the lowest value of its
     * HdrHistogram bucket, so requests equal to the fastest land in the first bucket, as in etcd.
     */
    static List<LoadStats.Bucket> buckets(Histogram h, long fastestNanos, long slowestNanos) {
        double width = (double) (slowestNanos - fastestNanos) / HISTOGRAM_BUCKETS;
        long[] bounds = new long[HISTOGRAM_BUCKETS + 1];
        for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
            bounds[i] = fastestNanos + (long) Math.floor(width * i);
        }
        bounds[HISTOGRAM_BUCKETS] = slowestNanos;
        long[] counts = new long[bounds.length];
        for (HistogramIterationValue v : h.recordedValues()) {
            long lowest = h.lowestEquivalentValue(v.getValueIteratedTo());
            int i = 0;
            while (i < HISTOGRAM_BUCKETS && lowest > bounds[i]) {
                i++;
            }
            counts[i] += v.getCountAtValueIteratedTo();
        }
        List<LoadStats.Bucket> out = new ArrayList<>();
        for (int i = 0; i < bounds.length; i++) {
            out.add(new LoadStats.Bucket(bounds[i] / NANOS_PER_SECOND, counts[i]));
        }
        return out;
    }
}
