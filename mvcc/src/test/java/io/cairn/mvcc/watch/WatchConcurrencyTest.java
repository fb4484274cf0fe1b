package io.cairn.mvcc.watch;

import static io.cairn.mvcc.watch.WatchFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer, a sync loop and two draining consumers on their own threads, with tiny buffers so watchers keep
 * turning into victims: every watcher still gets every event exactly once, in order, and the writer finishes.
 * Bounded by a deadline on the futures, never by sleeping.
 */
class WatchConcurrencyTest {
    private static final int WRITES = 2_000;

    @TempDir
    Path tmp;

    @Test
    void concurrentWritesSyncsAndDrainsLoseNothing() throws Exception {
        WatchConfig config = WatchConfig.DEFAULT.withBuffer(3, 8).withSyncBatch(7, 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (WatchFixture f = new WatchFixture(tmp.resolve("db"), config)) {
            WatchStream early = f.watch.newStream();
            WatchStream late = f.watch.newStream();
            early.watch(WatchRequest.of(KeyRange.prefix(b("k"))));
            early.watch(WatchRequest.of(KeyRange.single(b("k1"))));
            AtomicLong lateStartedAt = new AtomicLong();
            AtomicBoolean writesDone = new AtomicBoolean();
            AtomicBoolean syncDone = new AtomicBoolean();
            List<Event> written = new ArrayList<>();

            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < WRITES; i++) {
                    written.addAll(f.txn(w -> w.put(b("k" + (written.size() % 5)), b("v"), 0)));
                    if (i == WRITES / 3) {
                        lateStartedAt.set(f.kv.currentRevision());
                        late.watch(WatchRequest.of(KeyRange.prefix(b("k"))).fromRevision(2));
                    }
                }
                writesDone.set(true);
            });
            Future<?> syncer = pool.submit(() -> {
                while (!writesDone.get() || f.watch.unsyncedCount() + f.watch.victimCount() > 0) {
                    f.watch.syncWatchers();
                    f.watch.syncVictims();
                    f.watch.notifyProgress();
                    Thread.onSpinWait();
                }
                syncDone.set(true);
            });
            Future<List<WatchResponse>> earlyGot = pool.submit(() -> drainUntil(early, syncDone));
            Future<List<WatchResponse>> lateGot = pool.submit(() -> drainUntil(late, syncDone));

            writer.get(60, TimeUnit.SECONDS);
            syncer.get(60, TimeUnit.SECONDS);
            List<WatchResponse> e = earlyGot.get(60, TimeUnit.SECONDS);
            List<WatchResponse> l = lateGot.get(60, TimeUnit.SECONDS);

            assertThat(eventsOf(e, 0)).containsExactlyElementsOf(written);
            assertThat(eventsOf(e, 1)).containsExactlyElementsOf(
                written.stream().filter(ev -> WatchFixture.s(ev.kv().key()).equals("k1")).toList());
            assertThat(eventsOf(l, 0)).containsExactlyElementsOf(written);
            assertThat(lateStartedAt.get()).isGreaterThan(2);
            assertThat(f.watch.syncedCount()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<WatchResponse> drainUntil(WatchStream s, AtomicBoolean syncDone) {
        List<WatchResponse> got = new ArrayList<>();
        while (true) {
            boolean last = syncDone.get();
            List<WatchResponse> batch = s.drain(16);
            got.addAll(batch);
            if (last && batch.isEmpty()) {
                return got;
            }
            if (batch.isEmpty()) {
                Thread.onSpinWait();
            }
        }
    }

    private static List<Event> eventsOf(List<WatchResponse> responses, long watchId) {
        List<Event> out = new ArrayList<>();
        for (WatchResponse r : responses) {
            if (r.watchId() == watchId) {
                out.addAll(r.events());
            }
        }
        return out;
    }
}
