package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Snapshot streams, restore, hash, defrag and damaged files. */
abstract class BackendDurabilityTests extends BackendTxnTests {

    /** Random contents over three buckets, part committed and part buffered. */
    static void fillRandom(Backend backend, Random random, int entries) {
        Bucket[] buckets = {Bucket.KEY, Bucket.META, Bucket.LEASE};
        for (int i = 0; i < entries; i += 100) {
            try (WriteTxn txn = backend.write()) {
                for (int j = i; j < Math.min(entries, i + 100); j++) {
                    byte[] key = new byte[1 + random.nextInt(20)];
                    random.nextBytes(key);
                    byte[] value = new byte[random.nextInt(300)];
                    random.nextBytes(value);
                    txn.put(buckets[random.nextInt(buckets.length)], key, value);
                }
            }
            if (random.nextInt(4) == 0) {
                backend.commit();
            }
        }
    }

    @Test
    void snapshotRestoresEqualContentsInThisEngineAndInTheReference() {
        Backend source = openFresh();
        fillRandom(source, new Random(42), 3_000);
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        long written = source.snapshot(image);
        assertThat(written).isEqualTo(image.size());
        long[] progress = {0};
        Backend same = track(Backends.restore(options(tmp.resolve("restored")),
            new ByteArrayInputStream(image.toByteArray()), n -> progress[0] = n));
        assertThat(progress[0]).isEqualTo(image.size());
        assertSameContents(source, same);
        Backend reference = track(Backends.restore(BackendOptions.of(tmp.resolve("reference"), "memory"),
            new ByteArrayInputStream(image.toByteArray()), n -> { }));
        assertSameContents(source, reference);
        assertThat(same.hash((b, k) -> false)).isEqualTo(source.hash((b, k) -> false))
            .isEqualTo(reference.hash((b, k) -> false));
    }

    @Test
    void damagedSnapshotStreamsAreRefusedAndLeaveNothingBehind() {
        Backend source = openFresh();
        fillRandom(source, new Random(5), 500);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.snapshot(out);
        byte[] image = out.toByteArray();
        byte[] flipped = image.clone();
        flipped[image.length / 2] ^= 0x10;
        byte[] truncated = java.util.Arrays.copyOf(image, image.length - 40);
        byte[] garbage = new byte[1000];
        new Random(9).nextBytes(garbage);
        int i = 0;
        for (byte[] bad : List.of(flipped, truncated, garbage)) {
            Path dir = tmp.resolve("bad" + i++);
            assertThatThrownBy(() -> Backends.restore(options(dir), new ByteArrayInputStream(bad), n -> { }))
                .isInstanceOf(BackendException.Corrupted.class).hasMessageContaining("snapshot");
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void hashCoversBucketsKeysAndValuesAndHonoursSkip() {
        Backend a = openFresh();
        Backend b = openFresh();
        put(a, B1, b("k"), b("v"));
        put(b, B1, b("k"), b("v"));
        a.commit();
        assertThat(a.hash((x, y) -> false)).isEqualTo(b.hash((x, y) -> false));
        put(b, B1, b("k"), b("w"));
        assertThat(a.hash((x, y) -> false)).isNotEqualTo(b.hash((x, y) -> false));
        assertThat(a.hash((x, k) -> x.equals(B1))).isEqualTo(b.hash((x, k) -> x.equals(B1)));
        put(b, B2, b("k"), b("v"));
        assertThat(a.hash((x, k) -> x.equals(B1))).isNotEqualTo(b.hash((x, k) -> x.equals(B1)));
    }

    @Test
    void defragShrinksFilesAfterMassDeletes() {
        Backend backend = openFresh();
        Random random = new Random(3);
        int n = 120_000;
        for (int i = 0; i < n; i += 1_000) {
            try (WriteTxn txn = backend.write()) {
                for (int j = i; j < i + 1_000; j++) {
                    byte[] value = new byte[256];
                    random.nextBytes(value);
                    txn.put(Bucket.KEY, revision(j), value);
                }
            }
        }
        backend.sync();
        long before = backend.sizeBytes();
        assertThat(before).isGreaterThan(n * 256L / 2);
        for (int i = 0; i < n; i += 1_000) {
            try (WriteTxn txn = backend.write()) {
                for (int j = i; j < i + 1_000; j++) {
                    if (j % 10 != 0) {
                        txn.delete(Bucket.KEY, revision(j));
                    }
                }
            }
        }
        backend.sync();
        DefragReport report = backend.defrag();
        assertThat(report.sizeAfterBytes()).isGreaterThanOrEqualTo(backend.sizeBytes());
        assertThat(backend.sizeBytes()).as("size after defrag vs before %d", before).isLessThan(before / 2);
        assertThat(backend.sizeInUseBytes()).isLessThanOrEqualTo(backend.sizeBytes());
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.count(Bucket.KEY, RangeQuery.all())).isEqualTo(n / 10);
        }
    }

    /** etcd's 17-byte revision key: 8-byte main, '_', 8-byte sub. */
    static byte[] revision(long main) {
        return ByteBuffer.allocate(17).putLong(main).put((byte) '_').putLong(0).array();
    }

    @Test
    void corruptEngineFilesAreAClearErrorOnOpen() throws IOException {
        Path dir = tmp.resolve("corrupt");
        Backend backend = Backends.open(options(dir));
        fillRandom(backend, new Random(11), 2_000);
        backend.close();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("cairn-backend"))
                .filter(p -> p.toFile().length() > 0).forEach(files::add);
        }
        assertThat(files).isNotEmpty();
        Random random = new Random(13);
        for (Path f : files) {
            byte[] garbage = new byte[(int) Math.min(Files.size(f), 1 << 20)];
            random.nextBytes(garbage);
            Files.write(f, garbage);
        }
        assertThatThrownBy(() -> {
            try (Backend reopened = Backends.open(options(dir)); ReadTxn txn = reopened.read()) {
                for (Bucket b : txn.buckets()) {
                    txn.count(b, RangeQuery.all());
                }
            }
        }).isInstanceOf(BackendException.class);
    }
}
