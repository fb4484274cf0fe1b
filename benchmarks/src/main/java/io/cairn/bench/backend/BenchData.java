package io.cairn.bench.backend;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Builds and caches benchmark stores. Progress goes to stderr so long loads are visible. */
final class BenchData {
    static final int VALUE_BYTES = 256;
    static final int LOAD_TXN_PUTS = 10_000;
    static final Path ROOT = Path.of(System.getProperty("cairn.bench.dir", "benchmarks/target/bench-data"));

    private BenchData() {
    }

    /** etcd's revision key: 8-byte main, '_', 8-byte sub. */
    static byte[] revision(long main) {
        return ByteBuffer.allocate(17).putLong(main).put((byte) '_').putLong(0).array();
    }

    /** A 256-byte value that starts with an 8-byte user key. */
    static byte[] value(SplittableRandom random, long userKey) {
        byte[] v = new byte[VALUE_BYTES];
        for (int i = 8; i < v.length; i += 8) {
            long r = random.nextLong();
            for (int j = 0; j < 8 && i + j < v.length; j++) {
                v[i + j] = (byte) (r >>> (8 * j));
            }
        }
        ByteBuffer.wrap(v).putLong(userKey);
        return v;
    }

    static BackendOptions options(Path dir, String engine) {
        return BackendOptions.of(dir, engine).withBatchLimitOps(LOAD_TXN_PUTS);
    }

    /** An empty store in a fresh directory. */
    static Backend fresh(String engine, String name) {
        Path dir = ROOT.resolve("tmp").resolve(engine + "-" + name + "-" + System.nanoTime());
        return Backends.open(options(dir, engine));
    }

    /** Opens the cached store of {@code keys} revisions for {@code engine}, building it on first use. */
    static Backend cached(String engine, long keys) {
        Path dir = ROOT.resolve(engine + "-" + keys);
        Path done = ROOT.resolve(engine + "-" + keys + ".done");
        if (!Files.exists(done)) {
            delete(dir);
            try (Backend b = Backends.open(options(dir, engine))) {
                load(b, 0, keys, engine);
                b.sync();
            }
            touch(done);
        }
        return Backends.open(options(dir, engine));
    }

    /** Puts revisions {@code [from, to)} in transactions of {@link #LOAD_TXN_PUTS}, committing each. */
    static void load(Backend backend, long from, long to, String label) {
        SplittableRandom random = new SplittableRandom(from);
        long step = Math.max(1, (to - from) / 10);
        for (long i = from; i < to; i += LOAD_TXN_PUTS) {
            try (WriteTxn txn = backend.write()) {
                for (long r = i; r < Math.min(to, i + LOAD_TXN_PUTS); r++) {
                    txn.put(Bucket.KEY, revision(r), value(random, r));
                }
            }
            backend.commit();
            if ((i - from) / step != (i - from + LOAD_TXN_PUTS) / step) {
                System.err.printf("[bench] %s: loaded %d of %d keys%n", label, i + LOAD_TXN_PUTS - from, to - from);
            }
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void touch(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTmp() {
        delete(ROOT.resolve("tmp"));
    }
}
