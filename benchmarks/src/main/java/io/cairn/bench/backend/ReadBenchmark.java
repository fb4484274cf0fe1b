package io.cairn.bench.backend;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Point gets and 1,000-key range scans on a store of {@code keys} revisions, each in its own read txn. */
@State(Scope.Benchmark)
public class ReadBenchmark {
    public static final int RANGE_KEYS = 1_000;

    @Param({"xodus", "mapdb", "mvstore", "rocksdb"})
    public String engine;

    @Param({"1000000"})
    public long keys;

    private Backend backend;
    private final SplittableRandom random = new SplittableRandom(2);

    @Setup(Level.Trial)
    public void open() {
        backend = BenchData.cached(engine, keys);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    @Benchmark
    public byte[] pointGet() {
        try (ReadTxn txn = backend.read()) {
            return txn.get(Bucket.KEY, BenchData.revision(random.nextLong(keys))).orElseThrow();
        }
    }

    @Benchmark
    public long rangeScan1000() {
        long start = random.nextLong(keys - RANGE_KEYS);
        try (ReadTxn txn = backend.read()) {
            long[] bytes = {0};
            long n = txn.scan(Bucket.KEY, RangeQuery.of(BenchData.revision(start), null).withLimit(RANGE_KEYS),
                (k, v) -> {
                    bytes[0] += v.length;
                    return true;
                });
            if (n != RANGE_KEYS) {
                throw new IllegalStateException("scanned " + n);
            }
            return bytes[0];
        }
    }
}
