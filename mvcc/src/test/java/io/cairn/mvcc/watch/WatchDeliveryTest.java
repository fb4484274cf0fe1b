package io.cairn.mvcc.watch;

import static io.cairn.mvcc.watch.WatchFixture.b;
import static io.cairn.mvcc.watch.WatchFixture.describe;
import static io.cairn.mvcc.watch.WatchFixture.drainAll;
import static io.cairn.mvcc.watch.WatchFixture.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Victims, bounded buffers, catch-up batches and whole transactions per response. */
class WatchDeliveryTest {
    @TempDir
    Path tmp;

    private WatchFixture open(WatchConfig config) {
        return new WatchFixture(tmp.resolve("db"), config);
    }

    @Test
    void aFullBufferMakesAVictimWithoutBlockingWritesAndNothingIsLost() {
        try (WatchFixture f = open(WatchConfig.DEFAULT.withBuffer(2, 100))) {
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.single(b("k"))));
            for (int i = 1; i <= 6; i++) {
                f.put("k", String.valueOf(i));
            }
            assertThat(f.watch.victimCount()).isEqualTo(1);
            assertThat(f.watch.syncedCount()).isZero();
            assertThat(s.bufferedEvents()).as("created + 2 responses; bounded").isEqualTo(2);
            assertThat(f.watch.syncVictims()).as("still full").isZero();
            List<WatchResponse> got = new ArrayList<>(drainAll(s));
            assertThat(f.watch.syncVictims()).isEqualTo(1);
            assertThat(f.watch.unsyncedCount()).as("writes happened after its batch").isEqualTo(1);
            got.addAll(drainAll(s));
            assertThat(f.watch.syncWatchers()).isZero();
            got.addAll(drainAll(s));
            f.put("k", "7");
            got.addAll(drainAll(s));
            assertThat(eventsOf(got)).extracting(e -> e.kv().modRevision())
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertRevisionsCoverEvents(got);
        }
    }

    @Test
    void aVictimWithNothingNewReturnsToSynced() {
        try (WatchFixture f = open(WatchConfig.DEFAULT.withBuffer(1, 100))) {
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.single(b("k"))));
            f.put("k", "1");
            f.put("k", "2");
            assertThat(f.watch.victimCount()).isEqualTo(1);
            drainAll(s);
            assertThat(f.watch.syncVictims()).isEqualTo(1);
            assertThat(f.watch.syncedCount()).isEqualTo(1);
            WatchResponse victimBatch = s.poll();
            assertThat(describe(victimBatch.events())).containsExactly("PUT k=2@3");
            assertThat(victimBatch.revision()).isEqualTo(3);
        }
    }

    @Test
    void aSyncedTransactionArrivesInOneResponse() {
        try (WatchFixture f = open(WatchConfig.DEFAULT)) {
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.prefix(b("p/"))));
            f.txn(w -> {
                w.put(b("p/1"), b("a"), 0);
                w.put(b("x"), b("a"), 0);
                w.put(b("p/2"), b("a"), 0);
                w.deleteRange(KeyRange.single(b("p/1")));
            });
            List<WatchResponse> got = drainAll(s);
            assertThat(got).hasSize(2);
            assertThat(describe(got.get(1).events())).containsExactly("PUT p/1=a@2", "PUT p/2=a@2", "DELETE p/1@2");
        }
    }

    @Test
    void catchUpBatchesNeverSplitATransactionEvenPastTheEventLimit() {
        try (WatchFixture f = open(WatchConfig.DEFAULT.withBuffer(100, 3))) {
            f.put("p/0", "a");
            f.txn(w -> {
                for (int i = 1; i <= 5; i++) {
                    w.put(b("p/" + i), b("t"), 0);
                }
            });
            f.put("p/6", "b");
            f.put("p/7", "b");
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.prefix(b("p/"))).fromRevision(1));
            List<WatchResponse> got = new ArrayList<>();
            int rounds = 0;
            while (f.watch.unsyncedCount() + f.watch.victimCount() > 0) {
                f.watch.syncWatchers();
                f.watch.syncVictims();
                got.addAll(drainAll(s));
                rounds++;
            }
            assertThat(rounds).isGreaterThan(1);
            List<WatchResponse> batches = got.stream().filter(r -> !r.events().isEmpty()).toList();
            for (WatchResponse r : batches) {
                Set<Long> revs = new HashSet<>();
                r.events().forEach(e -> revs.add(e.kv().modRevision()));
                assertThat(r.events().size() <= 3 || revs.size() == 1).as("cut only at revision boundaries: %s",
                    describe(r.events())).isTrue();
            }
            assertThat(batches).anySatisfy(r -> assertThat(r.events()).hasSize(5));
            assertThat(eventsOf(got)).extracting(e -> e.kv().modRevision())
                .containsExactly(2L, 3L, 3L, 3L, 3L, 3L, 4L, 5L);
        }
    }

    @Test
    void oldWatchersCatchUpInBoundedRoundsWhileWritesContinue() {
        try (WatchFixture f = open(WatchConfig.DEFAULT.withSyncBatch(3, 512))) {
            for (int i = 0; i < 10; i++) {
                f.put("k", "old" + i);
            }
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.single(b("k"))).fromRevision(2));
            s.watch(WatchRequest.of(KeyRange.single(b("k"))).fromRevision(7));
            List<WatchResponse> got = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                f.put("k", "new" + i);
                f.watch.syncWatchers();
                got.addAll(drainAll(s));
            }
            while (f.watch.syncWatchers() > 0) {
                got.addAll(drainAll(s));
            }
            got.addAll(drainAll(s));
            for (long id : List.of(0L, 1L)) {
                List<WatchResponse> mine = got.stream().filter(r -> r.watchId() == id).toList();
                long from = id == 0 ? 2 : 7;
                List<Long> expected = new ArrayList<>();
                for (long r = from; r <= 21; r++) {
                    expected.add(r);
                }
                assertThat(eventsOf(mine)).extracting(e -> e.kv().modRevision()).containsExactlyElementsOf(expected);
                for (WatchResponse r : mine) {
                    Set<Long> revs = new HashSet<>();
                    r.events().forEach(e -> revs.add(e.kv().modRevision()));
                    assertThat(revs.size()).as("at most syncBatchRevisions per response").isLessThanOrEqualTo(3);
                }
                assertRevisionsCoverEvents(mine);
            }
            assertThat(f.watch.syncedCount()).isEqualTo(2);
        }
    }

    @Test
    void onlyTheSlowStreamsWatchersBecomeVictims() {
        try (WatchFixture f = open(WatchConfig.DEFAULT.withBuffer(4, 100))) {
            WatchStream slow = f.watch.newStream();
            WatchStream fast = f.watch.newStream();
            slow.watch(WatchRequest.of(KeyRange.single(b("k"))));
            fast.watch(WatchRequest.of(KeyRange.single(b("k"))));
            List<Event> fastEvents = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                f.put("k", String.valueOf(i));
                fastEvents.addAll(eventsOf(drainAll(fast)));
            }
            assertThat(fastEvents).hasSize(50);
            assertThat(f.watch.victimCount()).isEqualTo(1);
            assertThat(slow.bufferedEvents()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void aWatcherCaughtUpWhileARevisionIsBeingAnnouncedStillGetsIt() {
        try (WatchFixture f = open(WatchConfig.DEFAULT)) {
            f.put("k", "1");
            WatchStream s = f.watch.newStream();
            f.kv.setListener((rev, events) -> {
                f.watch.committed(rev, events);
                // the store's current revision is still rev - 1 here: the window etcd closes with one lock
                assertThat(f.kv.currentRevision()).isEqualTo(rev - 1);
                s.watch(WatchRequest.of(KeyRange.single(b("k"))).fromRevision(2));
                assertThat(f.watch.syncWatchers()).isZero();
            });
            f.put("k", "2");
            assertThat(describe(eventsOf(drainAll(s)))).containsExactly("PUT k=1@2", "PUT k=2@3");
            assertThat(f.watch.syncedCount()).isEqualTo(1);
        }
    }

    @Test
    void aCompactionThatOvertakesACatchUpReadCancelsTheWatcher() {
        HookedBackend[] hooked = new HookedBackend[1];
        try (WatchFixture f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT,
            b -> hooked[0] = new HookedBackend(b))) {
            for (int i = 1; i <= 5; i++) {
                f.put("k", String.valueOf(i));
            }
            WatchStream s = f.watch.newStream();
            long id = s.watch(WatchRequest.of(KeyRange.single(b("k"))).fromRevision(3));
            hooked[0].beforeNextRead(() -> f.compact(5));
            f.watch.syncWatchers();
            List<WatchResponse> got = drainAll(s);
            assertThat(eventsOf(got)).as("a partial history is never delivered").isEmpty();
            WatchResponse last = got.get(got.size() - 1);
            assertThat(last.watchId()).isEqualTo(id);
            assertThat(last.compactRevision()).isEqualTo(5);
            assertThat(last.canceled()).isTrue();
        }
    }

    static void assertRevisionsCoverEvents(List<WatchResponse> responses) {
        for (WatchResponse r : responses) {
            for (Event e : r.events()) {
                assertThat(r.revision()).isGreaterThanOrEqualTo(e.kv().modRevision());
            }
        }
    }
}
