package io.cairn.backend.xodus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine-level behaviour the backend conformance suite cannot see: Xodus's threads, views outstanding at close,
 * defrag alongside apply and alongside open views, and refusals on open.
 */
class XodusEngineTest {
    private static final Bucket KEY = Bucket.KEY;
    private static final long BOUND_SECONDS = 60;

    @TempDir
    Path tmp;

    static StorageEngine open(Path dir, Map<String, String> settings) {
        return new XodusEngineProvider().open(dir, settings);
    }

    static byte[] revision(long main) {
        return ByteBuffer.allocate(17).putLong(main).put((byte) '_').putLong(0).array();
    }

    /** Puts revisions [from, to) with 256-byte values, one apply per 10,000. */
    static void putRange(StorageEngine engine, long from, long to, Random random) {
        for (long batchStart = from; batchStart < to; batchStart += 10_000) {
            WriteBatch batch = new WriteBatch();
            for (long i = batchStart; i < Math.min(to, batchStart + 10_000); i++) {
                byte[] value = new byte[256];
                random.nextBytes(value);
                batch.add(KEY, revision(i), value);
            }
            engine.apply(batch);
        }
    }

    /** Deletes every revision in [from, to) that is not a multiple of ten. */
    static void deleteNineTenths(StorageEngine engine, long from, long to) {
        WriteBatch batch = new WriteBatch();
        for (long i = from; i < to; i++) {
            if (i % 10 != 0) {
                batch.add(KEY, revision(i), null);
            }
        }
        engine.apply(batch);
    }

    static long count(StorageEngine engine) {
        try (EngineView view = engine.openView(); EngineCursor c = view.cursor(KEY, new byte[0], null, false)) {
            long n = 0;
            while (c.next()) {
                n++;
            }
            return n;
        }
    }

    static boolean cleanerThreadAlive(Path dir) {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.isAlive() && t.getName().contains("background cleaner") && t.getName().contains(
                dir.toString()));
    }

    @Test
    void closeStopsTheEnvironmentsCleanerThread() {
        Path dir = tmp.resolve("threads");
        StorageEngine engine = open(dir, Map.of());
        putRange(engine, 0, 10, new Random(1));
        assertThat(cleanerThreadAlive(dir)).as("Xodus starts one cleaner thread per environment").isTrue();
        engine.close();
        assertThat(cleanerThreadAlive(dir)).as("close joins it").isFalse();
    }

    @Test
    void viewsAndCursorsOutstandingAtCloseAreEndedAndHarmlessToClose() {
        StorageEngine engine = open(tmp.resolve("outstanding"), Map.of());
        putRange(engine, 0, 5, new Random(2));
        EngineView view = engine.openView();
        EngineCursor cursor = view.cursor(KEY, new byte[0], null, true);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.key()).isEqualTo(revision(4));
        engine.close();
        assertThatThrownBy(cursor::next).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(cursor::value).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> view.get(KEY, revision(1))).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(view::buckets).isInstanceOf(BackendException.Closed.class);
        cursor.close();
        view.close();
        view.close();
        engine.close();
        assertThatThrownBy(engine::openView).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> engine.apply(new WriteBatch())).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(engine::defrag).isInstanceOf(BackendException.Closed.class);
    }

    @Test
    void defragRunsAlongsideApplyAndKeepsEveryWrite() throws Exception {
        StorageEngine engine = open(tmp.resolve("alongside"), Map.of());
        assertThat(engine.defragExcludesApply()).isFalse();
        try {
            putRange(engine, 0, 100_000, new Random(3));
            deleteNineTenths(engine, 0, 100_000);
            long before = engine.sizeBytes();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                long next = 100_000;
                Random random = new Random(4);
                while (!stop.get() || next < 100_100) {
                    putRange(engine, next, next + 50, random);
                    next += 50;
                }
                return next;
            });
            engine.defrag();
            stop.set(true);
            long written = writer.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(count(engine)).isEqualTo(10_000 + (written - 100_000));
            assertThat(engine.sizeBytes()).isLessThan(before);
        } finally {
            engine.close();
        }
    }

    @Test
    void aViewHeldAcrossDefragKeepsItsSnapshotAndDelaysOnlyTheFileDeletion() {
        StorageEngine engine = open(tmp.resolve("held"), Map.of("logFileSizeMiB", "1"));
        try {
            putRange(engine, 0, 20_000, new Random(5));
            EngineView held = engine.openView();
            deleteNineTenths(engine, 0, 20_000);
            long before = engine.sizeBytes();
            engine.defrag();
            assertThat(held.get(KEY, revision(12_345))).as("deleted after the view opened").isNotNull();
            try (EngineCursor c = held.cursor(KEY, new byte[0], null, false)) {
                long n = 0;
                while (c.next()) {
                    assertThat(c.value()).hasSize(256);
                    n++;
                }
                assertThat(n).isEqualTo(20_000);
            }
            held.close();
            engine.defrag();
            assertThat(engine.sizeBytes()).isLessThan(before / 2);
            assertThat(count(engine)).isEqualTo(2_000);
        } finally {
            engine.close();
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedAsInUseNotAsCorrupt() {
        Path dir = tmp.resolve("twice");
        StorageEngine first = open(dir, Map.of());
        try {
            assertThatThrownBy(() -> open(dir, Map.of())).isInstanceOf(BackendException.class)
                .isNotInstanceOf(BackendException.Corrupted.class).hasMessageContaining("is open in another");
        } finally {
            first.close();
        }
        open(dir, Map.of()).close();
    }

    @Test
    void logFileSizeCannotChangeForAnExistingStore() {
        Path dir = tmp.resolve("filesize");
        StorageEngine engine = open(dir, Map.of("logFileSizeMiB", "1"));
        putRange(engine, 0, 10_000, new Random(6));
        engine.close();
        assertThatThrownBy(() -> open(dir, Map.of())).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("logFileSizeMiB is 8 but").hasMessageContaining("written with 1");
        StorageEngine reopened = open(dir, Map.of("logFileSizeMiB", "1"));
        try {
            assertThat(count(reopened)).isEqualTo(10_000);
        } finally {
            reopened.close();
        }
    }

    @Test
    void anEntryLargerThanALogFileIsRefusedByNameAndTheEngineGoesOn() {
        StorageEngine engine = open(tmp.resolve("big"), Map.of("logFileSizeMiB", "1"));
        try {
            WriteBatch tooBig = new WriteBatch();
            tooBig.add(KEY, revision(1), new byte[1 << 20]);
            tooBig.add(KEY, revision(2), new byte[10]);
            assertThatThrownBy(() -> engine.apply(tooBig)).isInstanceOf(BackendException.class)
                .hasMessageContaining("does not fit in a 1 MiB log file").hasMessageContaining("logFileSizeMiB");
            WriteBatch fits = new WriteBatch();
            fits.add(KEY, revision(3), new byte[(1 << 20) - 100]);
            engine.apply(fits);
            try (EngineView view = engine.openView()) {
                assertThat(view.get(KEY, revision(2))).as("nothing of the refused batch").isNull();
                assertThat(view.get(KEY, revision(3))).hasSize((1 << 20) - 100);
            }
        } finally {
            engine.close();
        }
    }
}
