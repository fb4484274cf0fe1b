package io.cairn.bench.backend;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reads under concurrent writes: one thread commits transactions of 100 puts while another runs a point get plus a
 * 100-key scan per read transaction. Scores are per thread role.
 */
@State(Scope.Group)
public class ConcurrentBenchmark {
    static final long PRELOAD = 200_000;

    @Param({"xodus", "mapdb", "mvstore", "rocksdb"})
    public String engine;

    private Backend backend;
    private long next = PRELOAD;
    private final SplittableRandom writeRandom = new SplittableRandom(3);

    @Setup(Level.Trial)
    public void open() {
        backend = BenchData.fresh(engine, "rw");
        BenchData.load(backend, 0, PRELOAD, engine + " rw preload");
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
        BenchData.deleteTmp();
    }

    /** Per-thread randomness for the reader. */
    @State(Scope.Thread)
    public static class ReaderRandom {
        final SplittableRandom random = new SplittableRandom(4);
    }

    @Benchmark
    @Group("rw")
    @GroupThreads(1)
    public void writer() {
        try (WriteTxn txn = backend.write()) {
            for (int i = 0; i < 100; i++) {
                long r = next++;
                txn.put(Bucket.KEY, BenchData.revision(r), BenchData.value(writeRandom, r));
            }
        }
        backend.commit();
    }

    @Benchmark
    @Group("rw")
    @GroupThreads(1)
    public long reader(ReaderRandom r) {
        long start = r.random.nextLong(PRELOAD - 100);
        try (ReadTxn txn = backend.read()) {
            long n = txn.get(Bucket.KEY, BenchData.revision(start)).orElseThrow().length;
            return n + txn.scan(Bucket.KEY, RangeQuery.of(BenchData.revision(start), null).withLimit(100),
                (k, v) -> true);
        }
    }
}
