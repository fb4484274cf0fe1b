package io.cairn.backend.rocksdb;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance suite cannot see: settings, the WAL mode, and closing under concurrent native use. */
class RocksDbEngineTest {
    private static final Bucket DATA = Bucket.of("data");

    @TempDir
    Path tmp;

    private StorageEngine open(Map<String, String> settings) {
        return new RocksDbEngineProvider().open(tmp, settings);
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static void writeRound(StorageEngine engine, int n, int round) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < n; i++) {
            batch.add(DATA, key(i), ByteBuffer.allocate(64).putInt(round).array());
        }
        engine.apply(batch);
    }

    @Test
    void settingsAreValidatedWithTheKeyInTheMessage() {
        assertThat(RocksDbSettings.parse(Map.of())).isEqualTo(RocksDbSettings.DEFAULTS);
        assertThat(RocksDbSettings.parse(Map.of("rocksdb.wal", "true", "rocksdb.compression", "zstd")))
            .isEqualTo(new RocksDbSettings(true, 256, 64, 2, RocksDbSettings.Compression.ZSTD, 10, 16));
        assertThatThrownBy(() -> RocksDbSettings.parse(Map.of("rocksdb.wal", "yes")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rocksdb.wal");
        assertThatThrownBy(() -> RocksDbSettings.parse(Map.of("rocksdb.blockCacheMb", "1")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rocksdb.blockCacheMb");
        assertThatThrownBy(() -> RocksDbSettings.parse(Map.of("rocksdb.compression", "snappy")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lz4+zstd");
        assertThatThrownBy(() -> RocksDbSettings.parse(Map.of("mvstore.cacheSizeMb", "1")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mvstore.cacheSizeMb");
    }

    @Test
    void withTheWalEverythingAppliedSurvivesReopenAndSyncIsAWalSync() {
        Map<String, String> wal = Map.of("rocksdb.wal", "true");
        try (StorageEngine engine = open(wal)) {
            writeRound(engine, 1_000, 1);
            engine.sync();
            writeRound(engine, 1_000, 2);
        }
        try (StorageEngine engine = open(Map.of()); EngineView view = engine.openView()) {
            assertThat(view.get(DATA, key(999))).isEqualTo(ByteBuffer.allocate(64).putInt(2).array());
            assertThat(view.buckets()).containsExactly(DATA);
        }
    }

    @Test
    void afterCloseOutstandingViewsAndCursorsCloseQuietlyAndOtherUseIsClosed() {
        StorageEngine engine = open(Map.of());
        writeRound(engine, 100, 0);
        EngineView view = engine.openView();
        EngineCursor cursor = view.cursor(DATA, new byte[0], null, true);
        assertThat(cursor.next()).isTrue();
        EngineCursor unstarted = view.cursor(DATA, key(5), key(9), false);
        engine.close();
        engine.close();
        assertThatThrownBy(cursor::next).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(cursor::key).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(unstarted::next).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> view.get(DATA, key(1))).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(view::buckets).isInstanceOf(BackendException.Closed.class);
        cursor.close();
        unstarted.close();
        view.close();
        view.close();
        assertThatThrownBy(engine::openView).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> writeRound(engine, 1, 1)).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(engine::sync).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(engine::defrag).isInstanceOf(BackendException.Closed.class);
    }

    @Test
    void aClosedViewFailsClearlyAndItsCursorsCloseQuietly() {
        try (StorageEngine engine = open(Map.of())) {
            writeRound(engine, 10, 0);
            EngineView view = engine.openView();
            EngineCursor cursor = view.cursor(DATA, new byte[0], null, false);
            assertThat(cursor.next()).isTrue();
            view.close();
            assertThatThrownBy(cursor::next).isInstanceOf(BackendException.Closed.class);
            assertThatThrownBy(cursor::value).isInstanceOf(BackendException.Closed.class);
            cursor.close();
            assertThatThrownBy(() -> view.get(DATA, key(1))).isInstanceOf(BackendException.Closed.class);
        }
    }

    /**
     * Readers iterate, writers apply and a defrag runs while the engine closes under them: every call either works
     * or throws {@link BackendException.Closed}. A use-after-free of a native object would crash the JVM instead.
     */
    @Test
    void closingUnderConcurrentReadersWritersAndDefragNeverCrashes() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path dir = tmp.resolve("round" + round);
            java.nio.file.Files.createDirectories(dir);
            StorageEngine engine = new RocksDbEngineProvider().open(dir, Map.of());
            writeRound(engine, 2_000, 0);
            ExecutorService pool = Executors.newFixedThreadPool(5);
            CountDownLatch running = new CountDownLatch(5);
            CountDownLatch warm = new CountDownLatch(30);
            AtomicLong reads = new AtomicLong();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                work.add(pool.submit(() -> readUntilClosed(engine, running, warm, reads)));
            }
            work.add(pool.submit(() -> untilClosed(running, () -> writeRound(engine, 500, 1))));
            work.add(pool.submit(() -> untilClosed(running, engine::defrag)));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(warm.await(60, TimeUnit.SECONDS)).isTrue();
            engine.close();
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(reads.get()).isPositive();
        }
    }

    private static void readUntilClosed(StorageEngine engine, CountDownLatch running, CountDownLatch warm,
                                        AtomicLong reads) {
        running.countDown();
        try {
            while (true) {
                EngineView view = engine.openView();
                EngineCursor forward = view.cursor(DATA, new byte[0], null, false);
                EngineCursor backward = view.cursor(DATA, key(10), key(1_500), true);
                try {
                    while (forward.next() && backward.next()) {
                        forward.key();
                        backward.value();
                        view.get(DATA, forward.key());
                    }
                    reads.incrementAndGet();
                    warm.countDown();
                } finally {
                    forward.close();
                    backward.close();
                    view.close();
                }
            }
        } catch (BackendException.Closed expected) {
            // the engine closed under us
        }
    }

    private static void untilClosed(CountDownLatch running, Runnable action) {
        running.countDown();
        try {
            while (true) {
                action.run();
            }
        } catch (BackendException.Closed expected) {
            // the engine closed under us (a cancelled defrag reports Closed too)
        }
    }
}
