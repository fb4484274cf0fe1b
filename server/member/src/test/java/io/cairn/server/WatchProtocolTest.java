package io.cairn.server;

import static io.cairn.server.WatchClient.bs;
import static io.cairn.server.WatchClient.key;
import static io.cairn.server.WatchClient.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's watch stream protocol over raw gRPC (v3rpc/watch.go): several watchers per stream, ids, refusals,
 * compaction, cancel, future revisions, progress requests and periodic progress notifications (the member runs
 * with a 100 ms progress interval). Each test uses its own keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchProtocolTest {
    @TempDir
    static Path dir;
    private TestMember server;
    private KVGrpc.KVBlockingStub kv;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory", "--experimental-watch-progress-notify-interval", "100ms");
        kv = WatchClient.kv(server.endpoint());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private WatchClient client() {
        return new WatchClient(server.endpoint());
    }

    private static String keyOf(Event e) {
        return e.getKv().getKey().toString(StandardCharsets.UTF_8);
    }

    @Test
    void manyWatchersOnOneStreamEachGetTheirOwnEvents() throws Exception {
        try (WatchClient c = client()) {
            long single = c.created(key("mw/a")).getWatchId();
            long prefix = c.created(key("mw/").setRangeEnd(bs("mw0"))).getWatchId();
            long fromKey = c.created(key("mw/b").setRangeEnd(bs("\0"))).getWatchId();
            assertThat(List.of(single, prefix, fromKey)).as("auto ids count from 0 per stream")
                .containsExactly(0L, 1L, 2L);
            long revA = put(kv, "mw/a", "1");
            long revC = put(kv, "mw/c", "2");
            Map<Long, List<String>> seen = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                WatchResponse r = c.next();
                assertThat(r.getHeader().getClusterId()).isEqualTo(server.member.clusterId());
                assertThat(r.getHeader().getMemberId()).isEqualTo(server.member.memberId());
                assertThat(r.getHeader().getRaftTerm()).isEqualTo(server.member.raftView().term());
                assertThat(r.getHeader().getRevision()).isIn(revA, revC);
                r.getEventsList().forEach(e -> seen.computeIfAbsent(r.getWatchId(), k -> new ArrayList<>())
                    .add(keyOf(e) + "@" + e.getKv().getModRevision()));
            }
            assertThat(seen).containsOnly(
                Map.entry(single, List.of("mw/a@" + revA)),
                Map.entry(prefix, List.of("mw/a@" + revA, "mw/c@" + revC)),
                Map.entry(fromKey, List.of("mw/c@" + revC)));
        }
    }

    @Test
    void clientChosenIdsAndTheDuplicateRefusal() throws Exception {
        try (WatchClient c = client()) {
            assertThat(c.created(key("id/a").setWatchId(100)).getWatchId()).isEqualTo(100);
            WatchResponse dup = c.created(key("id/b").setWatchId(100));
            assertThat(dup.getCanceled()).isTrue();
            assertThat(dup.getWatchId()).isEqualTo(-1);
            assertThat(dup.getCancelReason()).isEqualTo("mvcc: duplicate watch ID provided on the WatchStream");
            assertThat(c.created(key("id/c")).getWatchId()).isZero();
        }
    }

    @Test
    void negativeStartRevisionAndEmptyRangeAreRefusedAtCreation() throws Exception {
        try (WatchClient c = client()) {
            WatchResponse negative = c.created(key("neg/a").setStartRevision(-1));
            assertThat(negative.getCanceled()).isTrue();
            assertThat(negative.getWatchId()).isEqualTo(-1);
            assertThat(negative.getCancelReason()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
            assertThat(negative.getHeader().getRevision()).isEqualTo(server.member.store().currentRevision());
            WatchResponse empty = c.created(key("neg/b").setRangeEnd(bs("neg/a")));
            assertThat(empty.getCanceled()).isTrue();
            assertThat(empty.getCancelReason()).isEqualTo("mvcc: watcher range is empty");
        }
    }

    @Test
    void compactedStartRevisionIsCreatedThenCanceledWithTheCompactRevision() throws Exception {
        long first = put(kv, "cw/k", "1");
        put(kv, "cw/k", "2");
        long third = put(kv, "cw/k", "3");
        kv.compact(CompactionRequest.newBuilder().setRevision(third).setPhysical(true).build());
        try (WatchClient c = client()) {
            long id = c.created(key("cw/k").setStartRevision(first).setWatchId(9)).getWatchId();
            WatchResponse compacted = c.next();
            assertThat(compacted.getWatchId()).isEqualTo(id);
            assertThat(compacted.getCanceled()).isTrue();
            assertThat(compacted.getCreated()).isFalse();
            assertThat(compacted.getCompactRevision()).isEqualTo(third);
            assertThat(compacted.getHeader().getRevision()).as("etcd sends revision 0 here").isZero();
            assertThat(compacted.getEventsCount()).isZero();
            assertThat(c.created(key("cw/k").setWatchId(9)).getWatchId()).as("the id stays taken").isEqualTo(-1);
            c.cancel(id);
            WatchResponse canceled = c.next();
            assertThat(canceled.getCanceled()).isTrue();
            assertThat(canceled.getWatchId()).isEqualTo(id);
        }
    }

    @Test
    void cancelAnswersCanceledAndNothingForAnUnknownId() throws Exception {
        try (WatchClient c = client()) {
            c.created(key("cx/a"));
            long b = c.created(key("cx/b")).getWatchId();
            c.cancel(b);
            WatchResponse canceled = c.next();
            assertThat(canceled.getCanceled()).isTrue();
            assertThat(canceled.getWatchId()).isEqualTo(b);
            assertThat(canceled.getHeader().getRevision()).isEqualTo(server.member.store().currentRevision());
            c.cancel(12345);
            long rev = put(kv, "cx/b", "after cancel");
            c.requestProgress();
            WatchResponse progress = c.next();
            assertThat(progress.getWatchId()).as("no response for the unknown id nor the canceled watcher")
                .isEqualTo(-1);
            assertThat(progress.getCanceled()).isFalse();
            assertThat(progress.getEventsCount()).isZero();
            assertThat(progress.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
        }
    }

    @Test
    void futureStartRevisionDeliversEventsFromThatRevisionOn() throws Exception {
        long now = put(kv, "fut/k", "0");
        try (WatchClient c = client()) {
            c.created(key("fut/k").setStartRevision(now + 2));
            assertThat(put(kv, "fut/k", "1")).isEqualTo(now + 1);
            assertThat(put(kv, "fut/k", "2")).isEqualTo(now + 2);
            WatchResponse r = c.next();
            assertThat(r.getEventsList()).extracting(e -> e.getKv().getModRevision()).containsExactly(now + 2);
            assertThat(r.getEvents(0).getKv().getValue().toStringUtf8()).isEqualTo("2");
        }
    }

    @Test
    void progressRequestAnswersWatchIdMinusOneAtTheCurrentRevision() throws Exception {
        try (WatchClient c = client()) {
            long id = c.created(key("pr/k")).getWatchId();
            long rev = put(kv, "pr/k", "v");
            assertThat(c.next().getWatchId()).isEqualTo(id);
            put(kv, "pr/other", "v");
            c.requestProgress();
            WatchResponse p = c.next();
            assertThat(p.getWatchId()).isEqualTo(-1);
            assertThat(p.getCreated() || p.getCanceled() || p.getEventsCount() > 0).isFalse();
            assertThat(p.getHeader().getRevision()).isGreaterThan(rev);
            assertThat(p.getHeader().getClusterId()).isEqualTo(server.member.clusterId());
        }
    }

    @Test
    void periodicProgressGoesOnlyToIdleWatchersThatAskedForIt() throws Exception {
        try (WatchClient c = client()) {
            c.created(key("pn/quiet"));
            long notified = c.created(key("pn/notified").setProgressNotify(true)).getWatchId();
            for (int i = 0; i < 2; i++) {
                WatchResponse p = c.next();
                assertThat(p.getWatchId()).isEqualTo(notified);
                assertThat(p.getEventsCount()).isZero();
                assertThat(p.getCreated() || p.getCanceled()).isFalse();
                assertThat(p.getHeader().getRevision()).isPositive();
            }
        }
    }

    @Test
    void filtersDropPutsOrDeletes() throws Exception {
        try (WatchClient c = client()) {
            long noPut = c.created(key("flt/k").addFilters(WatchCreateRequest.FilterType.NOPUT)).getWatchId();
            long noDelete = c.created(key("flt/k").addFilters(WatchCreateRequest.FilterType.NODELETE))
                .getWatchId();
            put(kv, "flt/k", "v");
            kv.deleteRange(io.cairn.api.etcdserverpb.DeleteRangeRequest.newBuilder().setKey(bs("flt/k")).build());
            WatchResponse first = c.next();
            WatchResponse second = c.next();
            assertThat(first.getWatchId()).isEqualTo(noDelete);
            assertThat(first.getEvents(0).getType()).isEqualTo(Event.EventType.PUT);
            assertThat(second.getWatchId()).isEqualTo(noPut);
            assertThat(second.getEvents(0).getType()).isEqualTo(Event.EventType.DELETE);
            assertThat(second.getEvents(0).getKv().getKey()).isEqualTo(bs("flt/k"));
        }
    }

    @Test
    void closingTheStreamCancelsAllItsWatchers(@TempDir Path own) throws Exception {
        try (TestMember m = TestMember.start(own, "memory")) {
            WatchClient c = new WatchClient(m.endpoint());
            c.created(key("a"));
            c.created(key("b"));
            c.created(key("c").setRangeEnd(bs("\0")));
            assertThat(m.member.watchable().syncedCount()).isEqualTo(3);
            c.close();
            WatchClient.await("watchers canceled on stream close", () -> m.member.watchable().syncedCount() == 0);
        }
    }
}
