package io.cairn.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTextTest {
    private static final List<LoadStats.Bucket> BUCKETS = List.of(new LoadStats.Bucket(0.001, 5),
        new LoadStats.Bucket(0.002, 0), new LoadStats.Bucket(0.003, 1), new LoadStats.Bucket(0.004, 0),
        new LoadStats.Bucket(0.005, 0), new LoadStats.Bucket(0.006, 0), new LoadStats.Bucket(0.007, 0),
        new LoadStats.Bucket(0.008, 0), new LoadStats.Bucket(0.009, 0), new LoadStats.Bucket(0.010, 3),
        new LoadStats.Bucket(0.011, 10));
    private static final LoadStats STATS = new LoadStats("put", "", 2_000_000_000L, 19, 9.5,
        new LoadStats.Latency(0.001, 0.011, 0.0057, 0.0047, List.of(0.001, 0.001, 0.0095, 0.011, 0.011, 0.011,
            0.011, 0.011), BUCKETS),
        List.of(new ErrorTally.ErrorCount("RESOURCE_EXHAUSTED", 2, "etcdserver: too many requests")));

    @Test
    void etcdLayout() {
        assertThat(ReportText.format(STATS, false)).isEqualTo("""

            Summary:
              Total:\t2.0000 secs.
              Slowest:\t0.0110 secs.
              Fastest:\t0.0010 secs.
              Average:\t0.0057 secs.
              Stddev:\t0.0047 secs.
              Requests/sec:\t9.5000
              Requests:\t19 succeeded, 2 failed.

            Response time histogram:
              0.0010 [5]\t|∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎
              0.0020 [0]\t|
              0.0030 [1]\t|∎∎∎∎
              0.0040 [0]\t|
              0.0050 [0]\t|
              0.0060 [0]\t|
              0.0070 [0]\t|
              0.0080 [0]\t|
              0.0090 [0]\t|
              0.0100 [3]\t|∎∎∎∎∎∎∎∎∎∎∎∎
              0.0110 [10]\t|∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎

            Latency distribution:
              10% in 1.000 ms.
              25% in 1.000 ms.
              50% in 9.500 ms.
              75% in 11.000 ms.
              90% in 11.000 ms.
              95% in 11.000 ms.
              99% in 11.000 ms.
              99.9% in 11.000 ms.

            Error distribution:
              [2]\tRESOURCE_EXHAUSTED: etcdserver: too many requests
            """);
    }

    @Test
    void labelPreciseAndAllFailed() {
        LoadStats labelled = new LoadStats("put", "cairn", 2_000_000_000L, 19, 9.5, STATS.latency(), List.of());
        assertThat(ReportText.format(labelled, true)).contains("  Label:\tcairn (put)\n", "  Total:\t2.0 secs.\n",
            "  Requests/sec:\t9.5\n").doesNotContain("Error distribution");

        LoadStats failed = new LoadStats("range", "", 500_000_000L, 0, 0, STATS.latency(), STATS.errors());
        assertThat(ReportText.format(failed, false)).isEqualTo("""

            Summary:
              Total:\t0.5000 secs.
              Requests:\t0 succeeded, 2 failed.

            Error distribution:
              [2]\tRESOURCE_EXHAUSTED: etcdserver: too many requests
            """);
    }

    @Test
    void jsonCarriesTheSameFigures() {
        String json = ReportJson.toJson(new LoadStats("put", "a\"b", 2_000_000_000L, 19, 9.5, STATS.latency(),
            STATS.errors()));
        assertThat(json).startsWith("{\"label\":\"a\\\"b\",\"operation\":\"put\",\"total_seconds\":2,"
            + "\"succeeded\":19,\"failed\":2,\"requests_per_sec\":9.5,\"fastest_ms\":1,\"slowest_ms\":11,"
            + "\"average_ms\":5.7,\"stddev_ms\":4.7,\"percentiles_ms\":{\"10\":1,\"25\":1,\"50\":9.5,")
            .contains("\"99.9\":11},\"histogram\":[{\"le_ms\":1,\"count\":5},{\"le_ms\":2,\"count\":0},")
            .endsWith("\"errors\":{\"RESOURCE_EXHAUSTED\":{\"count\":2,"
                + "\"example\":\"etcdserver: too many requests\"}}}");
        assertThat(ReportJson.string("tab\there\u0001")).isEqualTo("\"tab\\there\\u0001\"");
    }
}
