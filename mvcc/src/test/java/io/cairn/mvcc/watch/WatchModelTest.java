package io.cairn.mvcc.watch;

import static io.cairn.mvcc.watch.WatchFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.Compaction;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvWrite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random model test: random writes, compactions run in random steps, watchers at random revisions and
 * ranges on three streams with tiny buffers, and a random interleaving of sync steps, drains, cancels and progress
 * requests; then every stream's responses are checked against {@link WatchModel}. Reproduce one seed with
 * {@code -Dwatch.seed=N}.
 */
class WatchModelTest {
    private static final List<String> KEYS = List.of("a", "b", "c", "p/1", "p/2", "p/3", "q");
    private static final int STEPS = 400;
    private static final int STREAMS = 3;

    @TempDir
    Path tmp;
    private Random rnd;
    private WatchFixture f;
    private WatchModel model;
    private List<WatchStream> streams;
    private List<List<WatchResponse>> drained;
    private List<List<WatchModel.Watch>> watches;
    private Compaction compaction;

    static LongStream seeds() {
        Long one = Long.getLong("watch.seed");
        return one != null ? LongStream.of(one) : LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyWatcherGetsExactlyTheModelsEvents(long seed) {
        try {
            run(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("watch model failed; reproduce with -Dwatch.seed=" + seed + ": " + e, e);
        }
    }

    private void run(long seed) {
        rnd = new Random(seed);
        WatchConfig config = new WatchConfig(1 + rnd.nextInt(4), 1 + rnd.nextInt(6), 1 + rnd.nextInt(5),
            1 + rnd.nextInt(4), Duration.ofMinutes(10));
        model = new WatchModel();
        streams = new ArrayList<>();
        drained = new ArrayList<>();
        watches = new ArrayList<>();
        try (WatchFixture fixture = new WatchFixture(tmp.resolve("db" + seed), config)) {
            f = fixture;
            for (int i = 0; i < STREAMS; i++) {
                streams.add(f.watch.newStream());
                drained.add(new ArrayList<>());
                watches.add(new ArrayList<>());
            }
            for (int step = 0; step < STEPS; step++) {
                step();
                for (WatchStream s : streams) {
                    assertThat(s.bufferedEvents()).as("bounded buffer").isLessThanOrEqualTo(
                        config.maxBufferedEvents() + 2 * KEYS.size());
                }
            }
            quiesce();
            for (int i = 0; i < STREAMS; i++) {
                model.check(drained.get(i), watches.get(i));
                model.checkComplete(watches.get(i));
            }
            finalProgress();
        }
    }

    private void step() {
        int p = rnd.nextInt(100);
        if (p < 35) {
            write();
        } else if (p < 47) {
            createWatch();
        } else if (p < 51) {
            cancelWatch();
        } else if (p < 54) {
            compact();
        } else if (p < 60) {
            if (compaction != null && !compaction.step()) {
                compaction = null;
            }
        } else if (p < 72) {
            f.watch.syncWatchers();
        } else if (p < 82) {
            f.watch.syncVictims();
        } else if (p < 97) {
            int s = rnd.nextInt(STREAMS);
            drained.get(s).addAll(streams.get(s).drain(1 + rnd.nextInt(4)));
        } else {
            streams.get(rnd.nextInt(STREAMS)).requestProgress();
        }
    }

    private void write() {
        int ops = 1 + rnd.nextInt(3);
        List<Event> changes = f.txn(w -> {
            for (int i = 0; i < ops; i++) {
                writeOne(w);
            }
        });
        model.record(changes);
    }

    private void writeOne(KvWrite w) {
        int p = rnd.nextInt(10);
        if (p < 6) {
            w.put(b(KEYS.get(rnd.nextInt(KEYS.size()))), b("v" + rnd.nextInt(1000)), 0);
        } else if (p < 9) {
            w.deleteRange(KeyRange.single(b(KEYS.get(rnd.nextInt(KEYS.size())))));
        } else {
            w.deleteRange(KeyRange.prefix(b("p/")));
        }
    }

    private KeyRange randomRange() {
        return switch (rnd.nextInt(7)) {
            case 0, 1 -> KeyRange.single(b(KEYS.get(rnd.nextInt(KEYS.size()))));
            case 2 -> KeyRange.prefix(b("p/"));
            case 3 -> KeyRange.of(new byte[] {0}, new byte[] {0});
            case 4 -> KeyRange.of(b("b"), new byte[] {0});
            case 5 -> KeyRange.between(b("a"), b("p/2"));
            default -> rnd.nextInt(4) == 0 ? KeyRange.between(b("q"), b("a")) : KeyRange.single(b("zz"));
        };
    }

    private void createWatch() {
        int s = rnd.nextInt(STREAMS);
        long cur = f.kv.currentRevision();
        long start = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt((int) cur + 3);
        WatchRequest req = WatchRequest.of(randomRange()).fromRevision(start)
            .withFilters(WatchModel.filtersOf(rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0));
        if (rnd.nextInt(5) == 0) {
            req = req.withWatchId(100 + rnd.nextInt(4));
        }
        WatchModel.Watch w = new WatchModel.Watch(req, cur, f.kv.compactedRevision());
        w.id = streams.get(s).watch(req);
        watches.get(s).add(w);
    }

    private void cancelWatch() {
        int s = rnd.nextInt(STREAMS);
        List<WatchModel.Watch> live = watches.get(s).stream()
            .filter(w -> w.id != WatchStream.INVALID_ID && !w.canceledByClient).toList();
        if (live.isEmpty()) {
            return;
        }
        WatchModel.Watch w = live.get(rnd.nextInt(live.size()));
        assertThat(streams.get(s).cancel(w.id)).isTrue();
        w.canceledByClient = true;
        w.canceledAtRev = f.kv.currentRevision();
    }

    private void compact() {
        long cur = f.kv.currentRevision();
        long from = Math.max(f.kv.compactedRevision(), 0) + 1;
        if (compaction != null || from > cur) {
            return;
        }
        long rev = from + rnd.nextInt((int) (cur - from + 1));
        compaction = f.kv.compact(rev);
        model.compactions.add(rev);
        if (rnd.nextBoolean()) {
            compaction.runToCompletion();
            compaction = null;
        }
    }

    private void quiesce() {
        for (int round = 0; round < 100_000; round++) {
            f.watch.syncWatchers();
            f.watch.syncVictims();
            boolean empty = true;
            for (int i = 0; i < STREAMS; i++) {
                List<WatchResponse> got = streams.get(i).drain(Integer.MAX_VALUE);
                drained.get(i).addAll(got);
                empty &= got.isEmpty();
            }
            if (empty && f.watch.unsyncedCount() == 0 && f.watch.victimCount() == 0) {
                return;
            }
        }
        throw new AssertionError("watchers never caught up");
    }

    /** Once all is synced a progress request is answered at once, last, at the current revision. */
    private void finalProgress() {
        for (int i = 0; i < STREAMS; i++) {
            boolean live = watches.get(i).stream()
                .anyMatch(w -> w.id != WatchStream.INVALID_ID && !w.canceledByClient && w.compactedBy == 0);
            streams.get(i).requestProgress();
            List<WatchResponse> got = streams.get(i).drain(Integer.MAX_VALUE);
            if (!live) {
                continue;
            }
            assertThat(got).hasSize(1);
            assertThat(got.get(0).isProgress()).isTrue();
            assertThat(got.get(0).watchId()).isEqualTo(WatchStream.INVALID_ID);
            assertThat(got.get(0).revision()).isEqualTo(f.kv.currentRevision());
        }
    }
}
