package io.cairn.server;

import static io.cairn.server.WatchClient.bs;
import static io.cairn.server.WatchClient.key;
import static io.cairn.server.WatchClient.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.mvcc.watch.WatchableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large responses and slow clients on a member with etcd's default {@code --max-request-bytes} (1.5 MiB; the
 * watch fragment limit adds gRPC's 512 KiB): fragments, a stream that outlives the request size limit, and a
 * consumer that stops reading while writers go on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchFlowTest {
    private static final int FRAGMENT_LIMIT_BYTES = 1_572_864 + 512 * 1024;

    @TempDir
    static Path dir;
    private TestMember server;
    private KVGrpc.KVBlockingStub kv;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory");
        kv = WatchClient.kv(server.endpoint());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String value(int bytes, int i) {
        return String.valueOf((char) ('a' + i % 26)).repeat(bytes);
    }

    @Test
    void fragmentedWatcherGetsEtcdsFragmentsAndOthersOneResponse() throws Exception {
        int keys = 300;
        long first = put(kv, "frag/000", value(8_000, 0));
        for (int i = 1; i < keys; i++) {
            put(kv, String.format("frag/%03d", i), value(8_000, i));
        }
        try (WatchClient c = new WatchClient(server.endpoint())) {
            long fragmented = 1;
            long whole = 2;
            c.create(key("frag/").setRangeEnd(bs("frag0")).setStartRevision(first).setFragment(true)
                .setWatchId(fragmented));
            c.create(key("frag/").setRangeEnd(bs("frag0")).setStartRevision(first).setWatchId(whole));
            List<WatchResponse> fragments = new ArrayList<>();
            WatchResponse single = null;
            while (single == null || fragments.isEmpty() || fragments.get(fragments.size() - 1).getFragment()) {
                WatchResponse r = c.next();
                if (r.getCreated()) {
                    assertThat(r.getCanceled()).isFalse();
                } else if (r.getWatchId() == fragmented) {
                    fragments.add(r);
                } else {
                    assertThat(r.getWatchId()).isEqualTo(whole);
                    single = r;
                }
            }
            assertThat(single.getSerializedSize()).as("too large for one response").isGreaterThan(FRAGMENT_LIMIT_BYTES);
            assertThat(single.getFragment()).isFalse();
            assertThat(single.getEventsCount()).isEqualTo(keys);
            assertThat(fragments).hasSizeGreaterThanOrEqualTo(2);
            List<Event> joined = new ArrayList<>();
            for (int i = 0; i < fragments.size(); i++) {
                WatchResponse f = fragments.get(i);
                assertThat(f.getFragment()).as("fragment flag of part %s", i).isEqualTo(i < fragments.size() - 1);
                assertThat(f.getSerializedSize()).isLessThan(FRAGMENT_LIMIT_BYTES);
                assertThat(f.getHeader()).isEqualTo(fragments.get(0).getHeader());
                joined.addAll(f.getEventsList());
            }
            assertThat(joined).hasSize(keys);
            assertThat(joined.equals(single.getEventsList())).as("the fragments join into the whole response")
                .isTrue();
        }
    }

    @Test
    void aStreamOutlivesTheRequestSizeLimitInTotal() throws Exception {
        int rounds = 600;
        String pad = "k".repeat(4_000);
        try (WatchClient c = new WatchClient(server.endpoint())) {
            for (int i = 0; i < rounds; i++) {
                c.create(key("long/" + pad + i).setWatchId(i + 1));
                c.cancel(i + 1);
            }
            for (int i = 0; i < rounds; i++) {
                WatchResponse created = c.next();
                WatchResponse canceled = c.next();
                assertThat(created.getCreated()).isTrue();
                assertThat(created.getWatchId()).isEqualTo(i + 1);
                assertThat(canceled.getCanceled()).isTrue();
                assertThat(canceled.getWatchId()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void slowConsumerDoesNotBlockWritersAndCatchesUpWithoutGaps() throws Exception {
        int puts = 300;
        WatchableStore watchable = server.member.watchable();
        try (WatchClient c = new WatchClient(server.endpoint(), 1)) {
            c.created(key("slow/").setRangeEnd(bs("slow0")));
            long first = put(kv, "slow/0", value(64_000, 0));
            for (int i = 1; i < puts; i++) {
                put(kv, "slow/" + i, value(64_000, i)); // each returns: the writer never waits for the reader
            }
            assertThat(c.queued()).as("the client has taken nothing since its created response").isZero();
            assertThat(watchable.victimCount() + watchable.unsyncedCount())
                .as("the store parked the watcher instead of buffering without bound").isPositive();
            c.request(Integer.MAX_VALUE);
            long expected = first;
            while (expected < first + puts) {
                for (Event e : c.next().getEventsList()) {
                    assertThat(e.getKv().getModRevision()).as("in order, no gap, no duplicate").isEqualTo(expected);
                    assertThat(e.getKv().getValue().size()).isEqualTo(64_000);
                    expected++;
                }
            }
            long after = put(kv, "slow/after", "v");
            assertThat(c.next().getEvents(0).getKv().getModRevision()).as("synced again").isEqualTo(after);
        }
    }
}
