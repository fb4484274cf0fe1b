package io.cairn.bench.backend;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Put throughput: one write transaction of {@code batch} puts followed by an engine commit, as the apply loop does
 * with --backend-batch-limit. The score is commits per second; puts per second = score x batch.
 */
@State(Scope.Benchmark)
public class PutBenchmark {
    @Param({"xodus", "mapdb", "mvstore", "rocksdb"})
    public String engine;

    @Param({"1", "100", "10000"})
    public int batch;

    private Backend backend;
    private long next;
    private final SplittableRandom random = new SplittableRandom(1);

    @Setup(Level.Trial)
    public void open() {
        backend = BenchData.fresh(engine, "put");
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
        BenchData.deleteTmp();
    }

    @Benchmark
    public void commit() {
        try (WriteTxn txn = backend.write()) {
            for (int i = 0; i < batch; i++) {
                long r = next++;
                txn.put(Bucket.KEY, BenchData.revision(r), BenchData.value(random, r));
            }
        }
        backend.commit();
    }
}
