package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acknowledged writes survive {@code kill -9}: a member process takes concurrent puts from many writers, is killed
 * (SIGKILL) at a random moment after a random number of acknowledgements, and restarts on the same data dir; every
 * acknowledged put must be there with its value and revision, and revisions must continue above them. Run with a
 * backend that never commits on its own (everything comes back from the WAL), with the default batching, and with
 * frequent raft snapshots (restart from a snapshot plus the WAL after it). After each restart a watcher resuming
 * from revision 1 must get an event for every acknowledged put. Each failure prints its seed;
 * {@code -Dcairn.durability.seed=N} replays one.
 */
class DurabilityProcessTest {
    private static final int WRITERS = 16;
    private static final long SEED = Long.getLong("cairn.durability.seed", System.nanoTime());

    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
            Arguments.of("wal-only", List.of("--backend-batch-interval", "1h", "--backend-batch-limit", "10000000")),
            Arguments.of("default-batching", List.of()),
            Arguments.of("snapshots", List.of("--snapshot-count", "300", "--backend-batch-limit", "50")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void everyAcknowledgedPutSurvivesKill9(String mode, List<String> flags) throws Exception {
        SplittableRandom random = new SplittableRandom(SEED ^ mode.hashCode());
        String seed = "seed " + SEED + " (-Dcairn.durability.seed=" + SEED + "), mode " + mode;
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        Map<String, Long> acked = new ConcurrentHashMap<>();
        int port = ServerProcess.freePort();
        String[] extra = flags.toArray(new String[0]);
        for (int round = 0; round < 2; round++) {
            ServerProcess server = ServerProcess.start(data, port, log, extra);
            try (Client client = Client.builder().endpoints(server.url).build()) {
                verify(client.getKVClient(), acked, seed);
                watchFromTheStartSeesEveryAcknowledgedPut(client, acked, seed);
                int killAfter = 200 + random.nextInt(800);
                writeUntilKilled(client.getKVClient(), server, round, killAfter, acked);
            } finally {
                server.close();
            }
        }
        ServerProcess last = ServerProcess.start(data, port, log, extra);
        try (Client client = Client.builder().endpoints(last.url).build()) {
            verify(client.getKVClient(), acked, seed);
        } finally {
            last.stop();
        }
        assertThat(Files.readString(log)).as(seed).doesNotContain("\"level\":\"ERROR\"");
    }

    /** Writers put until {@code killAfter} puts are acknowledged, then the server is killed mid-stream. */
    private static void writeUntilKilled(KV kv, ServerProcess server, int round, int killAfter,
        Map<String, Long> acked) throws Exception {
        AtomicLong count = new AtomicLong();
        CountDownLatch enough = new CountDownLatch(1);
        Thread[] writers = new Thread[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers[w] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String key = "k/" + round + "/" + writer + "/" + i;
                    try {
                        long rev = kv.put(bs(key), bs("v" + i)).get(10, TimeUnit.SECONDS).getHeader().getRevision();
                        acked.put(key, rev);
                        if (count.incrementAndGet() >= killAfter) {
                            enough.countDown();
                        }
                    } catch (Exception e) {
                        return; // the server is gone: this put may or may not have been applied
                    }
                }
            }, "writer-" + w);
            writers[w].start();
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).as("writes acknowledged").isTrue();
        server.kill();
        for (Thread t : writers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).isFalse();
        }
    }

    private static void verify(KV kv, Map<String, Long> acked, String seed) throws Exception {
        var got = kv.get(bs("k/"), GetOption.builder().isPrefix(true).build()).get(30, TimeUnit.SECONDS);
        Map<String, KeyValue> present = new ConcurrentHashMap<>();
        for (KeyValue k : got.getKvs()) {
            present.put(k.getKey().toString(UTF_8), k);
        }
        long maxAcked = 0;
        for (Map.Entry<String, Long> e : acked.entrySet()) {
            KeyValue kv1 = present.get(e.getKey());
            assertThat(kv1).as("%s: acknowledged put of %s lost", seed, e.getKey()).isNotNull();
            assertThat(kv1.getModRevision()).as("%s: revision of %s", seed, e.getKey()).isEqualTo(e.getValue());
            String i = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
            assertThat(kv1.getValue().toString(UTF_8)).as(seed).isEqualTo("v" + i);
            maxAcked = Math.max(maxAcked, e.getValue());
        }
        long next = kv.put(bs("probe"), bs("x")).get(30, TimeUnit.SECONDS).getHeader().getRevision();
        assertThat(next).as("%s: revisions continue above every acknowledged put", seed).isGreaterThan(maxAcked);
    }

    /** A watcher resuming from revision 1 after the restart gets an event for every acknowledged put. */
    private static void watchFromTheStartSeesEveryAcknowledgedPut(Client client, Map<String, Long> acked,
        String seed) throws InterruptedException {
        Map<String, Long> seen = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(1);
        WatchOption from1 = WatchOption.builder().isPrefix(true).withRevision(1).build();
        try (Watch.Watcher w = client.getWatchClient().watch(bs("k/"), from1, response -> {
            for (WatchEvent e : response.getEvents()) {
                if (e.getEventType() == WatchEvent.EventType.PUT) {
                    seen.put(e.getKeyValue().getKey().toString(UTF_8), e.getKeyValue().getModRevision());
                }
            }
            if (seen.entrySet().containsAll(acked.entrySet())) {
                all.countDown();
            }
        })) {
            if (acked.isEmpty()) {
                return;
            }
            boolean complete = all.await(30, TimeUnit.SECONDS);
            Map<String, Long> missing = new ConcurrentHashMap<>(acked);
            missing.entrySet().removeAll(seen.entrySet());
            assertThat(complete).as("%s: a watch from revision 1 missed %s", seed, missing.keySet()).isTrue();
        }
    }

}
