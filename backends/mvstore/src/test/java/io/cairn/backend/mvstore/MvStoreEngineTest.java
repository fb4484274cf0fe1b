package io.cairn.backend.mvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance suite cannot see: settings, pinned versions under churn, interrupts, close races. */
class MvStoreEngineTest {
    private static final Bucket DATA = Bucket.of("data");

    @TempDir
    Path tmp;

    private StorageEngine open(Map<String, String> settings) {
        return new MvStoreEngineProvider().open(tmp, settings);
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static byte[] value(int i, int round) {
        return ByteBuffer.allocate(256).putInt(i).putInt(round).array();
    }

    private static void writeRound(StorageEngine engine, int n, int round) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < n; i++) {
            batch.add(DATA, key(i), value(i, round));
        }
        engine.apply(batch);
    }

    @Test
    void settingsAreValidatedWithTheKeyInTheMessage() {
        assertThat(MvStoreSettings.parse(Map.of())).isEqualTo(MvStoreSettings.DEFAULTS);
        assertThat(MvStoreSettings.parse(Map.of("mvstore.compress", "fast", "mvstore.cacheSizeMb", "8")))
            .isEqualTo(new MvStoreSettings(8, MvStoreSettings.Compression.FAST, 48, 1_000, 80));
        assertThatThrownBy(() -> MvStoreSettings.parse(Map.of("mvstore.cacheSizeMb", "lots")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mvstore.cacheSizeMb");
        assertThatThrownBy(() -> MvStoreSettings.parse(Map.of("mvstore.keysPerPage", "2")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mvstore.keysPerPage");
        assertThatThrownBy(() -> MvStoreSettings.parse(Map.of("mvstore.compress", "zstd")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none, fast or high");
        assertThatThrownBy(() -> MvStoreSettings.parse(Map.of("mvstore.autoCompactFillRate", "100")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 99]");
        assertThatThrownBy(() -> MvStoreSettings.parse(Map.of("rocksdb.wal", "true")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rocksdb.wal");
    }

    @Test
    void aViewKeepsReadingItsVersionFromDiskThroughChurnAndDefrag() {
        int n = 20_000;
        Map<String, String> settings = Map.of("mvstore.cacheSizeMb", "1");
        try (StorageEngine engine = open(settings)) {
            writeRound(engine, n, 0);
        }
        try (StorageEngine engine = open(settings)) {
            try (EngineView old = engine.openView()) {
                for (int round = 1; round <= 5; round++) {
                    writeRound(engine, n, round);
                }
                engine.defrag();
                writeRound(engine, n, 6);
                try (EngineCursor c = old.cursor(DATA, new byte[0], null, false)) {
                    for (int i = 0; i < n; i++) {
                        assertThat(c.next()).isTrue();
                        assertThat(c.value()).isEqualTo(value(i, 0));
                    }
                    assertThat(c.next()).isFalse();
                }
                assertThat(old.get(DATA, key(n / 2))).isEqualTo(value(n / 2, 0));
            }
            long pinnedSize = engine.sizeBytes();
            engine.defrag();
            assertThat(engine.sizeBytes()).isLessThan(pinnedSize);
            try (EngineView now = engine.openView()) {
                assertThat(now.get(DATA, key(7))).isEqualTo(value(7, 6));
            }
        }
    }

    @Test
    void anInterruptedReaderDoesNotCloseTheStore() {
        assumeTrue(UninterruptibleFilePath.isEffective(), "needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED");
        int n = 20_000;
        try (StorageEngine engine = open(Map.of())) {
            writeRound(engine, n, 0);
        }
        try (StorageEngine engine = open(Map.of("mvstore.cacheSizeMb", "1"))) {
            try (EngineView view = engine.openView()) {
                Thread.currentThread().interrupt();
                try {
                    for (int i = 0; i < n; i += 97) {
                        assertThat(view.get(DATA, key(i))).isEqualTo(value(i, 0));
                    }
                } finally {
                    assertThat(Thread.interrupted()).isTrue();
                }
            }
            writeRound(engine, n, 1);
            engine.sync();
            try (EngineView view = engine.openView()) {
                assertThat(view.get(DATA, key(n - 1))).isEqualTo(value(n - 1, 1));
            }
        }
    }

    @Test
    void afterCloseOutstandingViewsAndCursorsCloseQuietlyAndOtherUseIsClosed() {
        StorageEngine engine = open(Map.of());
        writeRound(engine, 100, 0);
        EngineView view = engine.openView();
        EngineCursor cursor = view.cursor(DATA, new byte[0], null, true);
        assertThat(cursor.next()).isTrue();
        engine.close();
        engine.close();
        assertThatThrownBy(cursor::next).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(cursor::key).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> view.get(DATA, key(1))).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(view::buckets).isInstanceOf(BackendException.Closed.class);
        cursor.close();
        view.close();
        view.close();
        assertThatThrownBy(engine::openView).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> writeRound(engine, 1, 1)).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(engine::sync).isInstanceOf(BackendException.Closed.class);
    }

    @Test
    void emptiedBucketsStayListedAndReopenKeepsEverything() {
        try (StorageEngine engine = open(Map.of())) {
            writeRound(engine, 10, 0);
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 10; i++) {
                batch.add(DATA, key(i), null);
            }
            batch.add(Bucket.META, key(1), new byte[0]);
            batch.add(Bucket.LEASE, key(1), null);
            engine.apply(batch);
        }
        try (StorageEngine engine = open(Map.of()); EngineView view = engine.openView()) {
            assertThat(view.buckets()).containsExactly(DATA, Bucket.META);
            assertThat(view.get(Bucket.META, key(1))).isEmpty();
            assertThat(view.get(Bucket.LEASE, key(1))).isNull();
        }
    }
}
