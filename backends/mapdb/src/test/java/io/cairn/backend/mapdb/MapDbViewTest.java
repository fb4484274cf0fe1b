package io.cairn.backend.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.Bucket;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine-level checks of the undo-log views that the backend suite cannot see (log collection, blob frees). */
class MapDbViewTest {
    private static final Bucket B = Bucket.of("b");

    @TempDir
    Path tmp;

    private MapDbEngine engine;

    @BeforeEach
    void open() {
        engine = (MapDbEngine) new MapDbEngineProvider().open(tmp, Map.of("inlineValueBytes", "8"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static byte[] k(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static byte[] v(long version, int size) {
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) version);
        ByteBuffer.wrap(out).putLong(0, version);
        return out;
    }

    private void apply(long version, int keys, int valueSize) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < keys; i++) {
            batch.add(B, k(i), version % 3 == 2 && i % 2 == 1 ? null : v(version, valueSize));
        }
        engine.apply(batch);
    }

    private static List<String> scan(EngineView view, boolean reverse) {
        List<String> out = new ArrayList<>();
        try (EngineCursor c = view.cursor(B, new byte[0], null, reverse)) {
            while (c.next()) {
                out.add(ByteBuffer.wrap(c.key()).getInt() + "=" + ByteBuffer.wrap(c.value()).getLong());
            }
        }
        return out;
    }

    @Test
    void anOldViewKeepsItsStateAcrossOverwritesDeletesAndLargeValueFreesThenReleasesItsLogs() {
        apply(1, 50, 100);
        EngineView old = engine.openView();
        List<String> forward = scan(old, false);
        List<String> backward = scan(old, true);
        for (long version = 2; version <= 30; version++) {
            apply(version, 60, version % 2 == 0 ? 8 : 100);
        }
        assertThat(scan(old, false)).isEqualTo(forward).hasSize(50);
        assertThat(scan(old, true)).isEqualTo(backward);
        assertThat(old.get(B, k(55))).isNull();
        assertThat(ByteBuffer.wrap(old.get(B, k(7))).getLong()).isEqualTo(1);
        assertThat(engine.epochs().retainedLogs()).isEqualTo(29);
        try (EngineView fresh = engine.openView()) {
            assertThat(ByteBuffer.wrap(fresh.get(B, k(6))).getLong()).isEqualTo(30);
            assertThat(fresh.get(B, k(7))).isNotNull();
        }
        old.close();
        assertThat(engine.epochs().retainedLogs()).isZero();
        apply(31, 60, 100);
        try (EngineView fresh = engine.openView()) {
            assertThat(scan(fresh, false)).hasSize(60).allMatch(s -> s.endsWith("=31"));
        }
    }

    @Test
    void concurrentViewsAlwaysSeeWholeApplies() throws Exception {
        int keys = 40;
        apply(3, keys, 16);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> checks = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            boolean reverse = r == 1;
            checks.add(readers.submit(() -> {
                int views = 0;
                while (!stop.get()) {
                    try (EngineView view = engine.openView()) {
                        List<String> seen = scan(view, reverse);
                        String version = seen.get(0).substring(seen.get(0).indexOf('='));
                        assertThat(seen).allMatch(s -> s.endsWith(version));
                        assertThat(seen.size()).isIn(keys, keys / 2);
                        views++;
                    }
                }
                return views;
            }));
        }
        for (long version = 4; version < 150; version++) {
            apply(version, keys, version % 5 == 0 ? 64 : 16);
        }
        stop.set(true);
        readers.shutdown();
        assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (Future<Integer> f : checks) {
            assertThat(f.get()).isPositive();
        }
        assertThat(engine.epochs().retainedLogs()).isZero();
        assertThat(engine.epochs().openViews()).isZero();
    }
}
