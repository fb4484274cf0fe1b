package io.cairn.mvcc.watch;

import static io.cairn.mvcc.watch.WatchFixture.b;
import static io.cairn.mvcc.watch.WatchFixture.describe;
import static io.cairn.mvcc.watch.WatchFixture.drainAll;
import static io.cairn.mvcc.watch.WatchFixture.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which group a new watcher joins, filters and ranges: tables in the manner of etcd's watchable_store_test.go. */
class WatchGroupingTest {
    @TempDir
    Path tmp;

    /** History: put a=1..5 at revisions 2..6; the current revision is 6. */
    private WatchFixture withHistory() {
        WatchFixture f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT);
        for (int i = 1; i <= 5; i++) {
            f.put("a", String.valueOf(i));
        }
        return f;
    }

    static Stream<Arguments> startRevisions() {
        return Stream.of(
            // start, compact at (0: none), synced at once, revisions delivered, compact revision reported
            Arguments.of(0L, 0L, true, List.of(), 0L),
            Arguments.of(7L, 0L, true, List.of(), 0L),
            Arguments.of(100L, 0L, true, List.of(), 0L),
            Arguments.of(6L, 0L, false, List.of(6L), 0L),
            Arguments.of(1L, 0L, false, List.of(2L, 3L, 4L, 5L, 6L), 0L),
            Arguments.of(4L, 4L, false, List.of(4L, 5L, 6L), 0L),
            Arguments.of(3L, 4L, false, List.of(), 4L),
            Arguments.of(1L, 6L, false, List.of(), 6L));
    }

    @ParameterizedTest(name = "start {0}, compacted at {1}")
    @MethodSource("startRevisions")
    void startRevisionChoosesTheGroup(long start, long compactAt, boolean synced, List<Long> revs, long compactRev) {
        try (WatchFixture f = withHistory()) {
            if (compactAt > 0) {
                f.compact(compactAt);
            }
            WatchStream s = f.watch.newStream();
            long id = s.watch(WatchRequest.of(KeyRange.single(b("a"))).fromRevision(start));
            assertThat(f.watch.syncedCount()).isEqualTo(synced ? 1 : 0);
            assertThat(f.watch.unsyncedCount()).isEqualTo(synced ? 0 : 1);
            assertThat(f.watch.syncWatchers()).isZero();
            assertThat(f.watch.unsyncedCount()).isZero();
            List<WatchResponse> got = drainAll(s);
            assertThat(got.get(0).created()).isTrue();
            assertThat(got.get(0).revision()).isEqualTo(6);
            assertThat(eventsOf(got)).extracting(e -> e.kv().modRevision()).containsExactlyElementsOf(revs);
            if (compactRev > 0) {
                WatchResponse last = got.get(got.size() - 1);
                assertThat(last.canceled()).isTrue();
                assertThat(last.compactRevision()).isEqualTo(compactRev);
                assertThat(last.watchId()).isEqualTo(id);
                assertThat(last.revision()).as("etcd sends header revision 0 with it").isZero();
                assertThat(f.watch.syncedCount()).isZero();
            } else {
                assertThat(f.watch.syncedCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFutureStartRevisionSkipsEverythingBeforeIt() {
        try (WatchFixture f = withHistory()) {
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.single(b("a"))).fromRevision(9));
            f.put("a", "6");
            f.put("a", "7");
            f.put("a", "8");
            assertThat(describe(eventsOf(drainAll(s)))).containsExactly("PUT a=8@9");
        }
    }

    static Stream<Arguments> filters() {
        return Stream.of(
            Arguments.of(Set.of(), List.of("PUT k=1@2", "DELETE k@3", "PUT k=2@4")),
            Arguments.of(Set.of(WatchFilter.NOPUT), List.of("DELETE k@3")),
            Arguments.of(Set.of(WatchFilter.NODELETE), List.of("PUT k=1@2", "PUT k=2@4")),
            Arguments.of(Set.of(WatchFilter.NOPUT, WatchFilter.NODELETE), List.of()));
    }

    @ParameterizedTest(name = "synced watcher, filters {0}")
    @MethodSource("filters")
    void filtersApplyToSyncedWatchers(Set<WatchFilter> filters, List<String> expected) {
        try (WatchFixture f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT)) {
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.single(b("k"))).withFilters(filters));
            writeFilterHistory(f);
            assertThat(describe(eventsOf(drainAll(s)))).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "unsynced watcher, filters {0}")
    @MethodSource("filters")
    void filtersApplyToWatchersCatchingUp(Set<WatchFilter> filters, List<String> expected) {
        try (WatchFixture f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT)) {
            writeFilterHistory(f);
            WatchStream s = f.watch.newStream();
            s.watch(WatchRequest.of(KeyRange.single(b("k"))).withFilters(filters).fromRevision(1));
            f.watch.syncWatchers();
            assertThat(describe(eventsOf(drainAll(s)))).containsExactlyElementsOf(expected);
            assertThat(f.watch.syncedCount()).as("a fully filtered batch still syncs the watcher").isEqualTo(1);
        }
    }

    private static void writeFilterHistory(WatchFixture f) {
        f.put("k", "1");
        f.delete("k");
        f.put("k", "2");
    }

    @Test
    void filterNumbersAreEtcds() {
        assertThat(WatchFilter.ofNumber(0)).isEqualTo(WatchFilter.NOPUT);
        assertThat(WatchFilter.ofNumber(1)).isEqualTo(WatchFilter.NODELETE);
        assertThat(WatchFilter.ofNumber(7)).as("etcd ignores unknown filter types").isNull();
    }

    static Stream<Arguments> ranges() {
        return Stream.of(
            Arguments.of("single a", KeyRange.single(b("a")), List.of("a")),
            Arguments.of("single missing", KeyRange.single(b("zz")), List.of()),
            Arguments.of("prefix a", KeyRange.prefix(b("a")), List.of("a", "ab")),
            Arguments.of("from b", KeyRange.of(b("b"), new byte[] {0}), List.of("b", "c", "d")),
            Arguments.of("between a and c", KeyRange.between(b("a"), b("c")), List.of("a", "ab", "b")),
            Arguments.of("every key", KeyRange.of(new byte[] {0}, new byte[] {0}), List.of("a", "ab", "b", "c", "d")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void rangesSelectKeysForSyncedAndCatchingUpWatchers(String name, KeyRange range, List<String> keys) {
        try (WatchFixture f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT)) {
            WatchStream live = f.watch.newStream();
            live.watch(WatchRequest.of(range));
            for (String k : List.of("a", "ab", "b", "c", "d")) {
                f.put(k, "v");
            }
            WatchStream late = f.watch.newStream();
            late.watch(WatchRequest.of(range).fromRevision(2));
            f.watch.syncWatchers();
            assertThat(eventsOf(drainAll(live))).extracting(e -> WatchFixture.s(e.kv().key()))
                .containsExactlyElementsOf(keys);
            assertThat(eventsOf(drainAll(late))).extracting(e -> WatchFixture.s(e.kv().key()))
                .containsExactlyElementsOf(keys);
        }
    }

    @Test
    void manyWatchersOnOneKeyEachGetEveryEvent() {
        try (WatchFixture f = new WatchFixture(tmp.resolve("db"), WatchConfig.DEFAULT)) {
            List<WatchStream> streams = List.of(f.watch.newStream(), f.watch.newStream());
            for (int i = 0; i < 100; i++) {
                streams.get(i % 2).watch(WatchRequest.of(KeyRange.single(b("k"))));
            }
            f.put("k", "1");
            f.put("other", "x");
            f.delete("k");
            for (WatchStream s : streams) {
                List<Event> events = eventsOf(drainAll(s));
                assertThat(events).hasSize(100);
                assertThat(events).filteredOn(e -> e.type() == Event.Type.DELETE).hasSize(50);
            }
        }
    }
}
