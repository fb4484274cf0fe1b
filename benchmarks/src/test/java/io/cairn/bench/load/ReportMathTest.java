package io.cairn.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class ReportMathTest {
    private static final long MS = 1_000_000L;

    private static LoadStats stats(long totalNanos, long... latenciesNanos) {
        LatencyRecorder r = new LatencyRecorder();
        for (long l : latenciesNanos) {
            r.record(l);
        }
        return ReportMath.stats("put", "", totalNanos, r.snapshot(), List.of());
    }

    @Test
    void summaryFiguresAreExact() {
        LoadStats s = stats(2_000 * MS, MS, MS, MS, MS, MS, 10 * MS, 10 * MS, 10 * MS, 11 * MS, 11 * MS);
        LoadStats.Latency l = s.latency();

        assertThat(s.succeeded()).isEqualTo(10);
        assertThat(s.requestsPerSecond()).isEqualTo(5.0);
        assertThat(l.fastestSeconds()).isEqualTo(0.001);
        assertThat(l.slowestSeconds()).isEqualTo(0.011);
        assertThat(l.averageSeconds()).isCloseTo(0.0057, within(1e-12));
        // population stddev, as etcd: sqrt(mean of squares - square of mean) = sqrt(54.7 - 32.49) ms
        assertThat(l.stddevSeconds()).isCloseTo(Math.sqrt(22.21) / 1000, within(1e-12));
    }

    @Test
    void histogramHasEtcdsElevenBucketsFromFastestToSlowest() {
        LoadStats s = stats(MS, MS, MS, MS, MS, MS, 10 * MS, 10 * MS, 10 * MS, 11 * MS, 11 * MS);
        List<LoadStats.Bucket> h = s.latency().histogram();

        assertThat(h).hasSize(11);
        assertThat(h).extracting(LoadStats.Bucket::upperSeconds).containsExactly(0.001, 0.002, 0.003, 0.004, 0.005,
            0.006, 0.007, 0.008, 0.009, 0.010, 0.011);
        assertThat(h).extracting(LoadStats.Bucket::count).containsExactly(5L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 3L, 2L);
    }

    @Test
    void oneLatencyFillsTheFirstBucketAndEveryPercentileExactly() {
        LoadStats s = stats(MS, 1_234_567);

        assertThat(s.latency().percentiles()).hasSize(8).containsOnly(0.001234567);
        assertThat(s.latency().histogram()).extracting(LoadStats.Bucket::count)
            .containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(s.latency().stddevSeconds()).isZero();
    }

    /** etcd sorts every latency and takes index ceil(p * (n + 1) / 100) - 1, clamped to [0, n - 1]. */
    private static double etcdPercentile(long[] sorted, double p) {
        int idx = (int) Math.ceil(p * (sorted.length + 1) / 100.0) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e9;
    }

    @Test
    void etcdRankRule() {
        assertThat(ReportMath.etcdRank(50, 10_000)).isEqualTo(5000); // ceil(5000.5) - 1
        assertThat(ReportMath.etcdRank(99.9, 20_000)).isEqualTo(19_980);
        assertThat(ReportMath.etcdRank(10, 3)).isZero();
        assertThat(ReportMath.etcdRank(99.9, 3)).isEqualTo(2);
        assertThat(ReportMath.etcdRank(99.9, 1)).isZero();
    }

    @Test
    void percentilesAgreeWithEtcdsSortedSliceWithinTheHistogramResolution() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] latencies = new long[20_000];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = 200_000 + (long) (random.nextGaussian() * 50_000 + Math.abs(random.nextGaussian()) * MS);
        }
        LoadStats s = stats(MS, latencies);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);

        for (double p : LoadStats.PERCENTILES) {
            assertThat(s.latency().percentile(p)).as("p%s, seed %d", p, seed)
                .isCloseTo(etcdPercentile(sorted, p), Percentage.withPercentage(0.1));
        }
        long histogramTotal = s.latency().histogram().stream().mapToLong(LoadStats.Bucket::count).sum();
        assertThat(histogramTotal).as("seed %d", seed).isEqualTo(latencies.length);
    }

    @Test
    void percentilesOfOneToTenThousandMicros() {
        List<Long> values = new ArrayList<>();
        for (long us = 1; us <= 10_000; us++) {
            values.add(us * 1000);
        }
        Collections.shuffle(values, new Random(7));
        LoadStats s = stats(MS, values.stream().mapToLong(Long::longValue).toArray());

        // etcd: ranks ceil(p * 10001 / 100) - 1 of 1..10000 us, i.e. 1001, 5001, 9901 and 9991 us
        assertThat(s.latency().percentile(10.0)).isCloseTo(0.001001, Percentage.withPercentage(0.1));
        assertThat(s.latency().percentile(50.0)).isCloseTo(0.005001, Percentage.withPercentage(0.1));
        assertThat(s.latency().percentile(99.0)).isCloseTo(0.009901, Percentage.withPercentage(0.1));
        assertThat(s.latency().percentile(99.9)).isCloseTo(0.009991, Percentage.withPercentage(0.1));
        assertThat(s.latency().slowestSeconds()).isEqualTo(0.01);
    }

    @Test
    void emptyRunHasZerosAndNoHistogram() {
        LatencyRecorder none = new LatencyRecorder();
        ErrorTally errors = new ErrorTally();
        errors.record(Status.UNAVAILABLE.withDescription("connection refused"));
        errors.record(Status.UNAVAILABLE.withDescription("other text"));
        errors.record(Status.DEADLINE_EXCEEDED);
        LoadStats s = ReportMath.stats("range", "x", 0, none.snapshot(), errors.snapshot());

        assertThat(s.requestsPerSecond()).isZero();
        assertThat(s.latency().histogram()).isEmpty();
        assertThat(s.latency().percentiles()).containsOnly(0.0);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.errors()).containsExactly(new ErrorTally.ErrorCount("UNAVAILABLE", 2, "connection refused"),
            new ErrorTally.ErrorCount("DEADLINE_EXCEEDED", 1, ""));
    }

    @Test
    void rateIsSucceededOverWallTime() {
        assertThat(ReportMath.requestsPerSecond(1000, 2_000_000_000L)).isEqualTo(500.0);
        assertThat(ReportMath.requestsPerSecond(3, 1_500_000L)).isEqualTo(2000.0);
        assertThat(ReportMath.requestsPerSecond(3, 0)).isZero();
    }

    @Test
    void negativeLatencyCountsAsZero() {
        LoadStats s = stats(MS, -5, 10);
        assertThat(s.latency().fastestSeconds()).isZero();
        assertThat(s.succeeded()).isEqualTo(2);
    }
}
