package io.cairn.mvcc.watch;

import static io.cairn.mvcc.watch.WatchFixture.b;
import static io.cairn.mvcc.watch.WatchFixture.describe;
import static io.cairn.mvcc.watch.WatchFixture.drainAll;
import static io.cairn.mvcc.watch.WatchFixture.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.KeyRange;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch ids, cancel, compaction cancel and progress on one stream (etcd's watcher_test.go, v3rpc/watch.go). */
class WatchStreamTest {
    @TempDir
    Path tmp;
    private WatchFixture f;
    private WatchStream s;

    @BeforeEach
    void open() {
        f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT);
        s = f.watch.newStream();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static WatchRequest key(String k) {
        return WatchRequest.of(KeyRange.single(b(k)));
    }

    @Test
    void autoIdsCountFromZeroPerStreamAndSkipClientChosenOnes() {
        assertThat(s.watch(key("a").withWatchId(2))).isEqualTo(2);
        assertThat(s.watch(key("a"))).isEqualTo(0);
        assertThat(s.watch(key("a"))).isEqualTo(1);
        assertThat(s.watch(key("a"))).as("2 is taken").isEqualTo(3);
        assertThat(f.watch.newStream().watch(key("a"))).as("ids are per stream").isEqualTo(0);
        assertThat(s.watchIds()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
    }

    @Test
    void refusedRequestsAnswerCreatedAndCanceledWithEtcdsReason() {
        s.watch(key("a").withWatchId(7));
        drainAll(s);
        assertThat(s.watch(key("b").withWatchId(7))).isEqualTo(WatchStream.INVALID_ID);
        assertThat(s.watch(WatchRequest.of(KeyRange.between(b("b"), b("a"))))).isEqualTo(WatchStream.INVALID_ID);
        assertThat(s.watch(WatchRequest.of(KeyRange.between(b("b"), b("b"))))).isEqualTo(WatchStream.INVALID_ID);
        List<WatchResponse> got = drainAll(s);
        assertThat(got).extracting(WatchResponse::cancelReason).containsExactly(
            "mvcc: duplicate watch ID provided on the WatchStream", "mvcc: watcher range is empty",
            "mvcc: watcher range is empty");
        assertThat(got).allSatisfy(r -> {
            assertThat(r.created()).isTrue();
            assertThat(r.canceled()).isTrue();
            assertThat(r.watchId()).isEqualTo(-1);
        });
    }

    @Test
    void cancelStopsEventsDropsBufferedOnesAndAnswersCanceled() {
        long id = s.watch(key("a"));
        f.put("a", "1");
        assertThat(s.cancel(id)).isTrue();
        f.put("a", "2");
        List<WatchResponse> got = drainAll(s);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).created()).isTrue();
        assertThat(got.get(1).canceled()).isTrue();
        assertThat(got.get(1).compactRevision()).isZero();
        assertThat(got.get(1).revision()).isEqualTo(2);
        assertThat(s.cancel(id)).as("already canceled").isFalse();
        assertThat(s.cancel(42)).isFalse();
        assertThat(f.watch.syncedCount()).isZero();
    }

    @Test
    void compactionCancelsAnOldWatcherThatStaysKnownUntilTheClientCancels() {
        f.put("a", "1");
        f.put("a", "2");
        f.put("a", "3");
        f.compact(4);
        long id = s.watch(key("a").fromRevision(2).withWatchId(5));
        f.watch.syncWatchers();
        List<WatchResponse> got = drainAll(s);
        WatchResponse compacted = got.get(got.size() - 1);
        assertThat(compacted.canceled()).isTrue();
        assertThat(compacted.compactRevision()).isEqualTo(4);
        assertThat(compacted.watchId()).isEqualTo(id);
        assertThat(s.watchIds()).containsExactly(id);
        assertThat(s.watch(key("a").withWatchId(id))).as("its id stays taken").isEqualTo(-1);
        assertThat(s.cancel(id)).isTrue();
        assertThat(drainAll(s)).last().satisfies(r -> assertThat(r.canceled()).isTrue());
    }

    @Test
    void progressRequestOnASyncedStreamAnswersAtTheCurrentRevision() {
        s.watch(key("a"));
        f.put("a", "1");
        f.put("b", "1");
        s.requestProgress();
        List<WatchResponse> got = drainAll(s);
        WatchResponse last = got.get(got.size() - 1);
        assertThat(last.isProgress()).isTrue();
        assertThat(last.watchId()).isEqualTo(-1);
        assertThat(last.revision()).isEqualTo(3);
    }

    @Test
    void progressRequestWaitsUntilEveryWatcherOfTheStreamIsSynced() {
        f.put("a", "1");
        f.put("a", "2");
        s.watch(key("b"));
        s.watch(key("a").fromRevision(2));
        s.requestProgress();
        s.requestProgress();
        assertThat(drainAll(s)).noneMatch(WatchResponse::isProgress);
        f.put("a", "3");
        f.watch.syncWatchers();
        List<WatchResponse> got = drainAll(s);
        assertThat(describe(eventsOf(got))).containsExactly("PUT a=1@2", "PUT a=2@3", "PUT a=3@4");
        assertThat(got).filteredOn(WatchResponse::isProgress).as("requests fold into one").hasSize(1);
        assertThat(got.get(got.size() - 1).isProgress()).isTrue();
        assertThat(got.get(got.size() - 1).revision()).isEqualTo(4);
    }

    @Test
    void progressRequestOnAStreamWithoutWatchersSendsNothing() {
        s.requestProgress();
        f.watch.syncVictims();
        assertThat(drainAll(s)).isEmpty();
    }

    @Test
    void periodicProgressGoesToIdleSyncedWatchersThatAskedForIt() {
        long idle = s.watch(key("a").withProgressNotify(true));
        long busy = s.watch(key("b").withProgressNotify(true));
        s.watch(key("c"));
        f.put("b", "1");
        drainAll(s);
        f.watch.notifyProgress();
        List<WatchResponse> first = drainAll(s);
        assertThat(first).extracting(WatchResponse::watchId).containsExactly(idle);
        assertThat(first.get(0).isProgress()).isTrue();
        assertThat(first.get(0).revision()).isEqualTo(2);
        f.watch.notifyProgress();
        assertThat(drainAll(s)).extracting(WatchResponse::watchId).containsExactlyInAnyOrder(idle, busy);
    }

    @Test
    void periodicProgressSkipsUnsyncedWatchers() {
        f.put("a", "1");
        s.watch(key("a").fromRevision(1).withProgressNotify(true));
        f.watch.notifyProgress();
        assertThat(drainAll(s)).noneMatch(WatchResponse::isProgress);
    }

    @Test
    void prevKvFlagIsCarriedOnEveryEventResponse() {
        s.watch(key("a").withPrevKv(true));
        s.watch(key("a"));
        f.put("a", "1");
        List<WatchResponse> got = drainAll(s);
        assertThat(got).filteredOn(r -> !r.events().isEmpty()).extracting(WatchResponse::prevKv)
            .containsExactly(true, false);
    }

    @Test
    void rejectAnswersCreatedAndCanceledInOrderWithTheOtherCreatedResponses() {
        long first = s.watch(key("a"));
        s.reject("etcdserver: mvcc: required revision has been compacted");
        long second = s.watch(key("b"));
        List<WatchResponse> got = drainAll(s);
        assertThat(got).extracting(WatchResponse::watchId).containsExactly(first, -1L, second);
        assertThat(got.get(1).created()).isTrue();
        assertThat(got.get(1).canceled()).isTrue();
        assertThat(got.get(1).cancelReason()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
        assertThat(got.get(1).revision()).isEqualTo(1);
        s.close();
        s.reject("late");
        assertThat(s.bufferedResponses()).isZero();
    }

    @Test
    void onBufferedRunsAfterEveryBufferedResponseUntilTheStreamCloses() {
        int[] wakeups = {0};
        s.onBuffered(() -> wakeups[0]++);
        long id = s.watch(key("a").withProgressNotify(true));
        assertThat(wakeups[0]).as("created").isEqualTo(1);
        f.put("a", "1");
        f.put("b", "1");
        assertThat(wakeups[0]).as("one event response, nothing for b").isEqualTo(2);
        drainAll(s);
        f.watch.notifyProgress();
        f.watch.notifyProgress();
        assertThat(wakeups[0]).as("progress").isEqualTo(3);
        s.cancel(id);
        assertThat(wakeups[0]).as("canceled").isEqualTo(4);
        s.close();
        f.put("a", "2");
        assertThat(wakeups[0]).as("closed").isEqualTo(4);
    }

    @Test
    void closedStreamRefusesWatchesAndDropsEverything() {
        s.watch(key("a"));
        f.put("a", "1");
        s.close();
        assertThat(s.poll()).isNull();
        assertThat(s.watch(key("a"))).isEqualTo(-1);
        assertThat(s.cancel(0)).isFalse();
        assertThat(f.watch.syncedCount()).isZero();
        f.put("a", "2");
        assertThat(s.bufferedResponses()).isZero();
    }
}
