package io.cairn.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Small put/range/txn-put/watch-latency runs against {@link FakeEtcd} on a loopback port: counts and error codes. */
@Timeout(60)
class LoadEndToEndTest {
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final PrintStream progressOut = new PrintStream(progress, true, StandardCharsets.UTF_8);

    @Test
    void putCountsSuccessesAndErrorsByStatus() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(10, 0, 0, false)) {
            LoadStats s = LoadMain.execute(LoadArgs.parse("--endpoints=" + etcd.endpoint(), "--conns=3",
                "--clients=8", "put", "--total=200", "--key-size=8", "--val-size=16", "--sequential-keys",
                "--key-space-size=200"), progressOut);

            assertThat(s.operation()).isEqualTo("put");
            assertThat(s.succeeded()).isEqualTo(180);
            assertThat(s.failed()).isEqualTo(20);
            assertThat(s.errors()).containsExactly(new ErrorTally.ErrorCount("RESOURCE_EXHAUSTED", 20,
                FakeEtcd.TOO_MANY));
            assertThat(etcd.puts).hasSize(200).allSatisfy(p -> {
                assertThat(p.getKey().size()).isEqualTo(8);
                assertThat(p.getValue().size()).isEqualTo(16);
            });
            assertThat(etcd.putKeys).hasSize(200).containsKey(Keys.key(199, 8));
            assertThat(s.latency().histogram().stream().mapToLong(LoadStats.Bucket::count).sum()).isEqualTo(180);
            assertThat(s.requestsPerSecond()).isPositive();
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("[put] 200/200 done (100 %)", "20 errors");
        }
    }

    @Test
    void rangeSendsTheSameSerializableRequestAndCountsUnavailable() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(0, 8, 0, false)) {
            LoadStats s = LoadMain.execute(LoadArgs.parse("range", "foo", "fop", "--consistency=s", "--total=200",
                "--endpoints", etcd.endpoint(), "--clients", "5", "--label", "fake"), progressOut);

            assertThat(s.label()).isEqualTo("fake");
            assertThat(s.succeeded()).isEqualTo(175);
            assertThat(s.errors()).containsExactly(new ErrorTally.ErrorCount("UNAVAILABLE", 25, "leader changed"));
            assertThat(etcd.ranges).hasSize(200).allSatisfy(r -> assertThat(r).isEqualTo(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("foo")).setRangeEnd(ByteString.copyFromUtf8("fop"))
                .setSerializable(true).build()));
        }
    }

    @Test
    void eachClientKeepsExactlyOneRequestInFlight() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(0, 0, 8, false)) {
            LoadOptions options = LoadArgs.parse("--endpoints=" + etcd.endpoint(), "--conns=2", "--clients=8",
                "put", "--total=200");
            try (Channels channels = Channels.open(options.client())) {
                LoadRunner runner = new LoadRunner(options, Workload.of(options), channels.list(), System::nanoTime,
                    progressOut, Duration.ofSeconds(1));
                LoadStats s = runner.run();

                assertThat(s.succeeded()).isEqualTo(200);
                assertThat(runner.maxInFlight()).isEqualTo(8);
            }
        }
    }

    @Test
    void txnPutPutsTxnOpsKeysPerTxn() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(0, 0, 0, false)) {
            LoadStats s = LoadMain.execute(LoadArgs.parse("--endpoints=" + etcd.endpoint(), "--clients=4",
                "txn-put", "--total=200", "--txn-ops=2", "--key-space-size=10"), progressOut);

            assertThat(s.succeeded()).isEqualTo(200);
            assertThat(etcd.txns).hasSize(200).allSatisfy(t -> assertThat(t.getSuccessCount()).isEqualTo(2));
            assertThat(etcd.putKeys).hasSize(10).allSatisfy((k, n) -> assertThat(n).isEqualTo(40));
        }
    }

    @Test
    void watchLatencyRecordsOneLatencyPerWatcherAndPut() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(0, 0, 0, true)) {
            LoadStats s = LoadMain.execute(LoadArgs.parse("--endpoints=" + etcd.endpoint(), "--clients=4",
                "--conns=2", "watch-latency", "--total=20", "--put-rate=1000"), progressOut);

            assertThat(s.errors()).isEmpty();
            assertThat(s.succeeded()).isEqualTo(80);
            assertThat(etcd.puts).hasSize(20).extracting(PutRequest::getKey).containsOnly(etcd.puts.get(0).getKey());
        }
    }

    @Test
    void watchLatencyCountsAMissingWatchServiceAsUnimplemented() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(0, 0, 0, false)) {
            LoadStats s = LoadMain.execute(LoadArgs.parse("--endpoints=" + etcd.endpoint(), "--clients=3",
                "watch-latency", "--total=5", "--put-rate=1000"), progressOut);

            assertThat(s.succeeded()).isZero();
            assertThat(s.errors()).extracting(ErrorTally.ErrorCount::code, ErrorTally.ErrorCount::count)
                .containsExactly(Tuple.tuple("UNIMPLEMENTED", 3L));
            assertThat(etcd.puts).hasSize(5);
        }
    }

    @Test
    void commandLinePrintsEtcdReportAndWritesJson(@TempDir Path dir) throws Exception {
        try (FakeEtcd etcd = new FakeEtcd(10, 0, 0, false)) {
            Path json = dir.resolve("out/put.json");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = LoadMain.run(new String[] {"put", "--endpoints=http://" + etcd.endpoint(), "--clients=4",
                "--total=200", "--json=" + json, "--label=fake"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                progressOut);

            assertThat(code).isZero();
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("Summary:", "  Label:\tfake (put)", "Requests/sec:", "Response time histogram:",
                "Latency distribution:", "  99.9% in ", "Error distribution:",
                "  [20]\tRESOURCE_EXHAUSTED: " + FakeEtcd.TOO_MANY);
            assertThat(Files.readString(json)).startsWith("{\"label\":\"fake\",\"operation\":\"put\"")
                .contains("\"succeeded\":180", "\"failed\":20", "\"RESOURCE_EXHAUSTED\":{\"count\":20")
                .endsWith(",\"options\":{\"endpoints\":[\"" + etcd.endpoint() + "\"],\"conns\":1,\"clients\":4,"
                    + "\"total\":200,\"rate\":0,\"key_size\":8,\"val_size\":8,\"key_space_size\":1,"
                    + "\"sequential_keys\":false,\"txn_ops\":1,\"serializable\":false}}\n");
        }
    }

    @Test
    void badCommandLineExitsTwoWithTheReason() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadMain.run(new String[] {"put", "--total=many"}, new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
            .contains("invalid argument \"many\" for \"--total\" flag: expected an integer");
    }
}
