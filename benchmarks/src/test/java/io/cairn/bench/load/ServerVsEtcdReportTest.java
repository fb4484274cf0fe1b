package io.cairn.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison driver's options, etcdctl check perf parsing and the Markdown report, without any server. */
class ServerVsEtcdReportTest {
    private static final Path LOG = Path.of("check-perf.log");

    @Test
    void defaultsAreEtcdsPerformanceGuideWithDistinctKeys() {
        CompareOptions o = CompareOptions.parse("--cairn-classpath=cp");

        assertThat(o.put().client()).isEqualTo(new ClientOptions(List.of("127.0.0.1:2379"), 100, 1000,
            Duration.ofSeconds(10), Duration.ZERO));
        assertThat(o.put().total()).isEqualTo(100_000);
        assertThat(o.put().keys()).isEqualTo(new KeySpace(8, 256, 100_000, true));
        assertThat(o.range().command()).isEqualTo(Command.RANGE);
        assertThat(o.range().total()).isEqualTo(100_000);
        assertThat(o.range().range().orElseThrow()).isEqualTo(new RangeTarget(Keys.key(0, 8),
            com.google.protobuf.ByteString.EMPTY, false));
        assertThat(o.servers()).containsExactly("cairn", "etcd");
        assertThat(o.checkPerf()).isTrue();
        assertThat(o.warmupPuts()).isZero();
        assertThat(o.output()).isEqualTo(Path.of("benchmarks/results/server.md"));
        assertThat(o.etcdBinary()).isEqualTo(Path.of("/usr/bin/etcd"));
    }

    @Test
    void putFlagsPassThroughAndDriverFlagsAreTaken() {
        CompareOptions o = CompareOptions.parse("--total", "2000", "--clients=50", "--conns", "10", "--servers=etcd",
            "--skip-check-perf", "--range-total=500", "--warmup", "300", "--output", "/tmp/x.md", "--cairn-java-opts",
            " -Xmx1g -Dx=1 ");

        assertThat(o.put().total()).isEqualTo(2000);
        assertThat(o.put().keys().keySpaceSize()).isEqualTo(2000);
        assertThat(o.put().client().clients()).isEqualTo(50);
        assertThat(o.put().client().conns()).isEqualTo(10);
        assertThat(o.range().total()).isEqualTo(500);
        assertThat(o.warmupPuts()).isEqualTo(300);
        assertThat(o.range().client().clients()).isEqualTo(50);
        assertThat(o.servers()).containsExactly("etcd");
        assertThat(o.checkPerf()).isFalse();
        assertThat(o.output()).isEqualTo(Path.of("/tmp/x.md"));
        assertThat(o.cairnJavaOptions()).containsExactly("-Xmx1g", "-Dx=1");
        assertThat(CompareOptions.parse("--servers=etcd", "--key-space-size=7").put().keys().keySpaceSize())
            .isEqualTo(7);
    }

    @Test
    void badDriverCommandLines() {
        assertThatThrownBy(() -> CompareOptions.parse()).hasMessageContaining("--cairn-classpath is required");
        assertThatThrownBy(() -> CompareOptions.parse("--servers=etcd,zookeeper"))
            .hasMessageContaining("--servers takes cairn, etcd or both");
        assertThatThrownBy(() -> CompareOptions.parse("--servers=etcd", "--range-total=0"))
            .hasMessageContaining("\"--range-total\" flag: expected a count >= 1");
        assertThatThrownBy(() -> CompareOptions.parse("--servers=etcd", "--warmup=-1"))
            .hasMessageContaining("\"--warmup\" flag: expected a count >= 0");
        assertThatThrownBy(() -> CompareOptions.parse("--servers=etcd", "--consistency=s"))
            .hasMessageContaining("unknown flag: --consistency (not a flag of put)");
        assertThatThrownBy(() -> CompareOptions.parse("--servers=etcd", "--output"))
            .hasMessageContaining("flag needs an argument: --output");
        assertThatThrownBy(() -> CompareOptions.parse("--help"))
            .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.help()).isTrue());
    }

    @Test
    void checkPerfPassingRun() {
        // etcdctl 3.4 prints the first verdict right after its progress bar, without a line break
        String out = "\r 0 / 60 B   !   0.00%\r 59 / 60   98.33% 00m01s\r 59 / 60   98.33%PASS: Throughput is 151 "
            + "writes/s\nPASS: Slowest request took 0.042147s\nPASS: Stddev is 0.004066s\nPASS\n";
        CheckPerf.Result r = CheckPerf.parse("s", out, LOG);

        assertThat(r.verdict()).isEqualTo("PASS");
        assertThat(r.throughput()).contains("151 writes/s");
        assertThat(r.slowest()).contains("0.042147s");
        assertThat(r.stddev()).contains("0.004066s");
        assertThat(r.lines()).containsExactly("PASS: Throughput is 151 writes/s",
            "PASS: Slowest request took 0.042147s", "PASS: Stddev is 0.004066s", "PASS");
    }

    @Test
    void checkPerfFailingAndBrokenRuns() {
        CheckPerf.Result fail = CheckPerf.parse("s", "FAIL: too many errors\n"
            + "FAIL: ERROR(etcdserver: request timed out) -> 3\n"
            + "FAIL: Throughput too low: 97 writes/s\nSlowest request took too long: 1.200000s\n"
            + "PASS: Stddev is 0.090000s\nFAIL\n", LOG);

        assertThat(fail.verdict()).isEqualTo("FAIL");
        assertThat(fail.throughput()).contains("97 writes/s");
        assertThat(fail.slowest()).contains("1.200000s");
        assertThat(fail.lines()).hasSize(6);

        CheckPerf.Result broken = CheckPerf.parse("s", "Error: context deadline exceeded\n", LOG);
        assertThat(broken.verdict()).isEqualTo("ERROR");
        assertThat(broken.throughput()).isEmpty();
    }

    private static LoadStats stats(String op, double rps, double p50, double p99, List<ErrorTally.ErrorCount> errors) {
        List<Double> pcts = List.of(p50 / 2, p50 / 2, p50, p50, p99, p99, p99, p99);
        return new LoadStats(op, "", 1_000_000_000L, (long) rps, rps, new LoadStats.Latency(0.0001, p99 * 2,
            p50, p50, pcts, List.of()), errors);
    }

    @Test
    void markdownHasMachineCommandTableRatiosAndVerdicts() {
        CompareOptions o = CompareOptions.parse("--cairn-classpath=cp", "--total=2000", "--clients=50", "--warmup=100",
            "--invoked-as", "bin/cairn-bench server-vs-etcd --total 2000 --clients 50");
        MachineFacts facts = new MachineFacts(LocalDate.of(2026, 11, 21), "abc1234", true, "AMD EPYC", 2, 23,
            "/dev/vda (ext4) 252G", "Linux 6.1", "OpenJDK 17.0.15", "etcd Version: 3.4.23", "9.21 7.02 4.89");
        CheckPerf.Result pass = CheckPerf.parse("s", "PASS: Throughput is 151 writes/s\nPASS: Slowest request took "
            + "0.04s\nPASS: Stddev is 0.004s\nPASS\n", LOG);
        List<ComparisonReport.Outcome> outcomes = List.of(
            new ComparisonReport.Outcome("Cairn", stats("put", 1000, 0.01, 0.05, List.of()),
                stats("range", 3000, 0.002, 0.02, List.of(new ErrorTally.ErrorCount("UNAVAILABLE", 2, "a|b"))),
                List.of(pass)),
            new ComparisonReport.Outcome("etcd", stats("put", 2000, 0.005, 0.03, List.of()),
                stats("range", 2000, 0.003, 0.03, List.of()), List.of(pass)));

        String md = ComparisonReport.markdown(o, facts, outcomes);

        assertThat(md).contains("- date: 2026-11-21, commit `abc1234` plus uncommitted changes",
            "- CPU: AMD EPYC (nproc 2), memory 23 GiB; disk /dev/vda (ext4) 252G",
            "**The machine was busy** (load average 9.21 on 2 cores",
            "```\nbin/cairn-bench server-vs-etcd --total 2000 --clients 50\n```",
            "50 clients over 100 gRPC connections",
            "- put: 2000 puts, 8-byte keys (sequential, key space 2000), 256-byte values",
            "- warmup: 100 puts of the same shape before the measured puts, not reported",
            "- check perf: `ETCDCTL_API=3 etcdctl check perf --load=s` (60 s, 150 puts/s, 50 clients), then "
                + "`--load=m`",
            "| put | Cairn | 1,000 | 10.00 | 50.00 | 100.00 | 1,000 | 0 |",
            "| put | etcd | 2,000 | 5.00 | 30.00 | 60.00 | 2,000 | 0 |",
            "| range (linearizable) | Cairn | 3,000 | 2.00 | 20.00 | 40.00 | 3,000 | 2 UNAVAILABLE (a\\|b) |",
            "Cairn / etcd throughput: put 0.50, range 1.50.",
            "| s | Cairn | PASS | 151 writes/s | 0.04s | 0.004s |",
            "Cairn --load=s: PASS: Throughput is 151 writes/s");
        assertThat(ComparisonReport.json(facts, outcomes)).startsWith("{\"commit\":\"abc1234+dirty\"")
            .contains("\"Cairn\":{\"put\":{\"label\":\"\",\"operation\":\"put\"",
                "\"check_perf\":[{\"load\":\"s\",\"verdict\":\"PASS\"");
    }
}
