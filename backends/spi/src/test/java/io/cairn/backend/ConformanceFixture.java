package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up of the conformance suite: opens backends of the engine under test in a temporary directory and
 * closes whatever a test left open.
 */
abstract class ConformanceFixture {
    static final Bucket B1 = Bucket.of("b1");
    static final Bucket B2 = Bucket.of("b2");

    @TempDir
    Path tmp;

    private final List<Backend> opened = new ArrayList<>();

    /** The engine under test, as named in config. */
    protected abstract String engine();

    /** Engine settings used by every test. */
    protected Map<String, String> engineSettings() {
        return Map.of();
    }

    BackendOptions options(Path dir) {
        return BackendOptions.of(dir, engine()).withEngineSettings(engineSettings());
    }

    Backend open(Path dir) {
        return track(Backends.open(options(dir)));
    }

    Backend open(BackendOptions options) {
        return track(Backends.open(options));
    }

    Backend openFresh() {
        return open(tmp.resolve("db-" + opened.size()));
    }

    Backend track(Backend b) {
        opened.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        for (Backend b : opened) {
            b.close();
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static void put(Backend backend, Bucket bucket, byte[] key, byte[] value) {
        try (WriteTxn txn = backend.write()) {
            txn.put(bucket, key, value);
        }
    }

    static List<Entry> all(Backend backend, Bucket bucket) {
        try (ReadTxn txn = backend.read()) {
            return txn.list(bucket, RangeQuery.all());
        }
    }

    static List<String> keys(List<Entry> entries) {
        return entries.stream().map(e -> Keys.toHex(e.key())).toList();
    }

    static void assertSameContents(Backend expected, Backend actual) {
        try (ReadTxn e = expected.read(); ReadTxn a = actual.read()) {
            assertThat(a.buckets()).isEqualTo(e.buckets());
            for (Bucket bucket : e.buckets()) {
                assertThat(a.list(bucket, RangeQuery.all())).as("bucket %s", bucket)
                    .isEqualTo(e.list(bucket, RangeQuery.all()));
            }
        }
    }

    static long dirSize(Path dir) {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
