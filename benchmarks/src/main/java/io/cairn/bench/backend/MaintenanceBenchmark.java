package io.cairn.bench.backend;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.io.OutputStream;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One-shot maintenance timings: snapshot stream of the 1M-key store, reopen of it (with its file size reported as
 * an auxiliary counter), and defrag of a 200k-key store after deleting 90 % of it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@State(Scope.Benchmark)
public class MaintenanceBenchmark {
    static final long DEFRAG_KEYS = 200_000;

    @Param({"xodus", "mapdb", "mvstore", "rocksdb"})
    public String engine;

    @Param({"1000000"})
    public long keys;

    private Backend big;
    private Backend defragStore;

    /** Sizes reported next to the timings. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Sizes {
        public long snapshotBytes;
        public long fileBytes;
    }

    @Setup(Level.Trial)
    public void openBig() {
        big = BenchData.cached(engine, keys);
    }

    @TearDown(Level.Trial)
    public void closeBig() {
        big.close();
    }

    /** A fresh store with 90 % of its keys deleted, before every defrag measurement. */
    @Setup(Level.Iteration)
    public void prepareDefrag() {
        defragStore = BenchData.fresh(engine, "defrag");
        BenchData.load(defragStore, 0, DEFRAG_KEYS, engine + " defrag preload");
        for (long i = 0; i < DEFRAG_KEYS; i += BenchData.LOAD_TXN_PUTS) {
            try (WriteTxn txn = defragStore.write()) {
                for (long r = i; r < i + BenchData.LOAD_TXN_PUTS; r++) {
                    if (r % 10 != 0) {
                        txn.delete(Bucket.KEY, BenchData.revision(r));
                    }
                }
            }
        }
        defragStore.sync();
    }

    @TearDown(Level.Iteration)
    public void dropDefrag() {
        defragStore.close();
        BenchData.deleteTmp();
    }

    @Benchmark
    public long snapshotStream(Sizes sizes) {
        long n = big.snapshot(OutputStream.nullOutputStream());
        sizes.snapshotBytes = n;
        return n;
    }

    @Benchmark
    public long reopen(Sizes sizes) {
        Path dir = BenchData.ROOT.resolve(engine + "-" + keys);
        big.close();
        big = Backends.open(BackendOptions.of(dir, engine));
        sizes.fileBytes = big.sizeBytes();
        try (ReadTxn txn = big.read()) {
            return txn.get(Bucket.KEY, BenchData.revision(keys - 1)).orElseThrow().length;
        }
    }

    @Benchmark
    public long defrag(Sizes sizes) {
        long after = defragStore.defrag().sizeAfterBytes();
        sizes.fileBytes = after;
        return after;
    }
}
