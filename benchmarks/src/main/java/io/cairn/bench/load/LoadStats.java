package io.cairn.bench.load;

import java.util.List;

/**
 * The result of one run, as etcd's benchmark reports it; all latencies in seconds (etcd's unit).
 *
 * @param operation the subcommand, e.g. {@code put}
 * @param label {@code --label}, empty when none
 * @param totalNanos wall time from the first request's start to the last one's end
 * @param succeeded requests answered OK; only these have latencies (as in etcd)
 * @param requestsPerSecond {@code succeeded / total time}, etcd's Requests/sec
 * @param errors failed requests by gRPC status code, largest first
 */
public record LoadStats(String operation, String label, long totalNanos, long succeeded, double requestsPerSecond,
                        Latency latency, List<ErrorTally.ErrorCount> errors) {
    /** etcd's percentiles. */
    public static final List<Double> PERCENTILES = List.of(10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9);

    public LoadStats {
        errors = List.copyOf(errors);
    }

    public long failed() {
        return errors.stream().mapToLong(ErrorTally.ErrorCount::count).sum();
    }

    public double totalSeconds() {
        return totalNanos / 1e9;
    }

    /**
     * Latency figures of the successful requests; all zero when there were none.
     *
     * @param percentiles one per {@link #PERCENTILES} entry, same order
     * @param histogram etcd's 11 buckets: upper bounds {@code fastest + i * (slowest - fastest) / 10} for
     *     {@code i < 10}, then {@code slowest}; each request counts in the first bucket whose bound is not below it
     */
    public record Latency(double fastestSeconds, double slowestSeconds, double averageSeconds, double stddevSeconds,
                          List<Double> percentiles, List<Bucket> histogram) {
        public Latency {
            percentiles = List.copyOf(percentiles);
            histogram = List.copyOf(histogram);
        }

        /** The latency at one of {@link #PERCENTILES}, in seconds. */
        public double percentile(double p) {
            int i = PERCENTILES.indexOf(p);
            if (i < 0) {
                throw new IllegalArgumentException("not one of etcd's percentiles " + PERCENTILES + ": " + p);
            }
            return percentiles.get(i);
        }
    }

    /** One histogram bucket: requests whose latency is at most {@code upperSeconds} (and above the previous bound). */
    public record Bucket(double upperSeconds, long count) {
    }
}
