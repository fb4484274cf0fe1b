package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real etcd Java client's watch API (jetcd 0.8.7, one gRPC stream per watcher) against a member on RocksDB. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchJetcdTest {
    private static final long TIMEOUT_SECONDS = WatchClient.TIMEOUT_SECONDS;

    @TempDir
    static Path dir;
    private TestMember server;
    private Client client;
    private KV kv;
    private Watch watch;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "rocksdb");
        client = Client.builder().endpoints(server.endpoint()).build();
        kv = client.getKVClient();
        watch = client.getWatchClient();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }


    private static String str(ByteSequence b) {
        return b.toString(UTF_8);
    }

    private long put(String key, String value) throws Exception {
        return kv.put(bs(key), bs(value)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
    }

    private long delete(String key) throws Exception {
        return kv.delete(bs(key)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
    }

    /** A listener that queues what it is told. */
    private static final class Collector implements Watch.Listener {
        final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();

        @Override
        public void onNext(WatchResponse r) {
            responses.add(r);
        }

        @Override
        public void onError(Throwable t) {
            error.complete(t);
        }

        @Override
        public void onCompleted() {
            completed.complete(null);
        }

        WatchResponse next() throws InterruptedException {
            WatchResponse r = responses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(r).as("a watch response (error: %s)", error.getNow(null)).isNotNull();
            return r;
        }

        /** The next {@code n} events, across responses. */
        List<WatchEvent> events(int n) throws InterruptedException {
            List<WatchEvent> out = new ArrayList<>();
            while (out.size() < n) {
                out.addAll(next().getEvents());
            }
            assertThat(out).hasSize(n);
            return out;
        }
    }

    private static String describe(WatchEvent e) {
        return e.getEventType() + " " + str(e.getKeyValue().getKey()) + "=" + str(e.getKeyValue().getValue())
            + "@" + e.getKeyValue().getModRevision() + " prev=" + str(e.getPrevKV().getValue());
    }

    @Test
    void createdNotifyThenPutAndDeleteEventsWithPrevKv() throws Exception {
        Collector c = new Collector();
        WatchOption opt = WatchOption.builder().withPrevKV(true).withCreateNotify(true).build();
        try (Watch.Watcher w = watch.watch(bs("jw/a"), opt, c)) {
            WatchResponse created = c.next();
            assertThat(created.isCreatedNotify()).isTrue();
            assertThat(created.getHeader().getMemberId()).isEqualTo(server.member.memberId());
            long r1 = put("jw/a", "1");
            long r2 = put("jw/a", "2");
            long r3 = delete("jw/a");
            assertThat(c.events(3)).extracting(WatchJetcdTest::describe).containsExactly(
                "PUT jw/a=1@" + r1 + " prev=",
                "PUT jw/a=2@" + r2 + " prev=1",
                "DELETE jw/a=@" + r3 + " prev=2");
        }
    }

    @Test
    void noPutAndNoDeleteFiltersDropTheirEvents() throws Exception {
        Collector noPut = new Collector();
        Collector noDelete = new Collector();
        try (Watch.Watcher a = watch.watch(bs("jf/k"), WatchOption.builder().withNoPut(true).withCreateNotify(true)
                .build(), noPut);
             Watch.Watcher b = watch.watch(bs("jf/k"), WatchOption.builder().withNoDelete(true)
                 .withCreateNotify(true).build(), noDelete)) {
            assertThat(noPut.next().isCreatedNotify()).isTrue();
            assertThat(noDelete.next().isCreatedNotify()).isTrue();
            put("jf/k", "1");
            long deleted = delete("jf/k");
            put("jf/k", "2");
            assertThat(noPut.events(1)).extracting(e -> e.getEventType() + "@" + e.getKeyValue().getModRevision())
                .containsExactly("DELETE@" + deleted);
            assertThat(noDelete.events(2)).extracting(WatchEvent::getEventType)
                .containsExactly(WatchEvent.EventType.PUT, WatchEvent.EventType.PUT);
        }
    }

    @Test
    void prefixAndRangeWatchersSeeOnlyTheirKeys() throws Exception {
        Collector prefix = new Collector();
        Collector range = new Collector();
        try (Watch.Watcher a = watch.watch(bs("jp/"), WatchOption.builder().isPrefix(true).withCreateNotify(true)
                .build(), prefix);
             Watch.Watcher b = watch.watch(bs("jr/a"), WatchOption.builder().withRange(bs("jr/c"))
                 .withCreateNotify(true).build(), range)) {
            prefix.next();
            range.next();
            for (String k : List.of("jp/1", "jq", "jr/a", "jr/c", "jp/2", "jr/b")) {
                put(k, "v");
            }
            assertThat(prefix.events(2)).extracting(e -> str(e.getKeyValue().getKey()))
                .containsExactly("jp/1", "jp/2");
            assertThat(range.events(2)).extracting(e -> str(e.getKeyValue().getKey()))
                .containsExactly("jr/a", "jr/b");
        }
    }

    @Test
    void startRevisionReplaysHistory() throws Exception {
        long r1 = put("jh/k", "1");
        long r2 = put("jh/k", "2");
        long r3 = put("jh/k", "3");
        Collector c = new Collector();
        try (Watch.Watcher w = watch.watch(bs("jh/k"), WatchOption.builder().withRevision(r1).build(), c)) {
            assertThat(c.events(3)).extracting(e -> str(e.getKeyValue().getValue()) + "@"
                + e.getKeyValue().getModRevision()).containsExactly("1@" + r1, "2@" + r2, "3@" + r3);
        }
    }

    @Test
    void compactedStartRevisionFailsWithTheCompactRevision() throws Exception {
        long r1 = put("jc/k", "1");
        put("jc/k", "2");
        long r3 = put("jc/k", "3");
        kv.compact(r3, CompactOption.builder().withCompactPhysical(true).build()).get(TIMEOUT_SECONDS,
            TimeUnit.SECONDS);
        Collector c = new Collector();
        try (Watch.Watcher w = watch.watch(bs("jc/k"), WatchOption.builder().withRevision(r1).build(), c)) {
            Throwable t = c.error.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(CompactedException.class);
            assertThat(((CompactedException) t).getCompactedRevision()).isEqualTo(r3);
        }
    }

    @Test
    void progressRequestReportsTheCurrentRevision() throws Exception {
        Collector c = new Collector();
        try (Watch.Watcher w = watch.watch(bs("jpr/k"), WatchOption.builder().withCreateNotify(true).build(), c)) {
            c.next();
            long rev = put("jpr/elsewhere", "v");
            w.requestProgress();
            WatchResponse p = c.next();
            assertThat(p.isProgressNotify()).isTrue();
            assertThat(p.getEvents()).isEmpty();
            assertThat(p.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
        }
    }

    @Test
    void closingAWatcherCancelsItOnTheServer(@TempDir Path own) throws Exception {
        try (TestMember m = TestMember.start(own, "memory");
             Client other = Client.builder().endpoints(m.endpoint()).build()) {
            Collector c = new Collector();
            Watch.Watcher w = other.getWatchClient().watch(bs("jx/k"), WatchOption.builder().withCreateNotify(true)
                .build(), c);
            c.next();
            assertThat(m.member.watchable().syncedCount()).isEqualTo(1);
            w.close();
            c.completed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            WatchClient.await("the server canceled the watcher", () -> m.member.watchable().syncedCount() == 0);
        }
    }
}
