package io.cairn.bench.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.RangeOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Through the MVCC store, as the apply loop uses it: one put per write transaction (8-byte keys from a 100k key
 * space, 256-byte values) with the backend committing by its batch policy; single-key reads and 100-key range
 * reads at the latest revision.
 */
@State(Scope.Benchmark)
public class MvccBenchmark {
    static final int KEYS = 100_000;

    @Param({"xodus", "mapdb", "mvstore", "rocksdb"})
    public String engine;

    private Backend backend;
    private KvStore store;
    private final SplittableRandom random = new SplittableRandom(5);
    private final byte[] value = new byte[256];

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("benchmarks/target"), "mvcc-" + engine);
        backend = Backends.open(BackendOptions.of(dir, engine));
        store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        for (int i = 0; i < KEYS; i += 1_000) {
            try (KvWrite w = store.write()) {
                for (int j = i; j < i + 1_000; j++) {
                    w.put(key(j), value, 0);
                }
            }
        }
        backend.commit();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        backend.close();
    }

    static byte[] key(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    @Benchmark
    public long put() {
        long rev;
        try (KvWrite w = store.write()) {
            rev = w.put(key(random.nextInt(KEYS)), value, 0);
        }
        backend.commitIfDue();
        return rev;
    }

    @Benchmark
    public int get() {
        try (KvRead r = store.read()) {
            return r.range(KeyRange.single(key(random.nextInt(KEYS))), RangeOptions.LATEST).kvs().size();
        }
    }

    @Benchmark
    public int range100() {
        long start = random.nextInt(KEYS - 100);
        try (KvRead r = store.read()) {
            return r.range(KeyRange.between(key(start), key(start + 100)), RangeOptions.LATEST).kvs().size();
        }
    }
}
