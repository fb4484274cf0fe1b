package io.cairn.mvcc.op;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.Compaction;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.MvccException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random Range/Put/DeleteRange/Txn requests, compactions (finished, left half done) and reopens of the
 * store, each answered by {@link KvOps} and by the naive {@link EtcdModel}; the whole keyspace is compared at the
 * current and at a random live revision from time to time. Reproduce a failure with {@code -Dcairn.op.seed=N}.
 */
class KvOpsModelTest {
    private static final int STEPS = 1_500;

    @TempDir
    Path dir;

    static LongStream seeds() {
        String fixed = System.getProperty("cairn.op.seed");
        return fixed != null ? LongStream.of(Long.parseLong(fixed)) : LongStream.rangeClosed(1, 12);
    }

    /** What one run saw, to prove the run exercised what it claims. */
    private static final class Counts {
        int valid;
        int invalid;
        int failed;
        int compactions;
        int reopens;
        int resumed;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void kvOpsMatchTheModel(long seed) {
        run(seed, "memory");
    }

    /** The same model run on each real engine: every engine must give identical etcd semantics. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xodus", "mapdb", "mvstore", "rocksdb"})
    void kvOpsMatchTheModelOnEveryEngine(String engine) {
        String fixed = System.getProperty("cairn.op.seed");
        run(fixed != null ? Long.parseLong(fixed) : 1_000 + engine.length(), engine);
    }

    private void run(long seed, String engine) {
        Random rnd = new Random(seed);
        RandomRequests gen = new RandomRequests(rnd);
        Counts counts = new Counts();
        Compaction[] pending = {null};
        try (Fixture f = new Fixture(dir.resolve(engine), new MvccConfig(3, 5), engine)) {
            for (int step = 0; step < STEPS; step++) {
                String what = "?";
                try {
                    int dice = rnd.nextInt(100);
                    if (dice < 3) {
                        what = "compact";
                        compact(f, rnd, pending, counts);
                    } else if (dice < 5) {
                        what = "reopen";
                        reopen(f, rnd, pending, counts);
                    } else if (dice < 8) {
                        what = "check state";
                        checkState(f, rnd);
                    } else {
                        RequestOp request = gen.request(f.model.revision(), f.model.compacted());
                        what = request.toString();
                        apply(f, request, counts);
                    }
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(engine + ": reproduce with -Dcairn.op.seed=" + seed + " (step " + step
                        + ", " + what + "): " + e.getMessage(), e);
                }
            }
        }
        assertThat(counts.valid).as("seed %d", seed).isGreaterThan(STEPS * 3 / 4);
        assertThat(counts.invalid + counts.failed).as("seed %d", seed).isPositive();
        assertThat(counts.compactions + counts.reopens).as("seed %d", seed).isPositive();
    }

    private static void apply(Fixture f, RequestOp request, Counts counts) {
        try {
            check(request);
        } catch (MvccException e) {
            counts.invalid++;
            return;
        }
        counts.valid++;
        if (f.both(request).error() != null) {
            counts.failed++;
        }
    }

    private static void check(RequestOp request) {
        if (request instanceof RangeRequest r) {
            RequestChecks.DEFAULT.check(r);
        } else if (request instanceof PutRequest p) {
            RequestChecks.DEFAULT.check(p);
        } else if (request instanceof DeleteRangeRequest d) {
            RequestChecks.DEFAULT.check(d);
        } else {
            RequestChecks.DEFAULT.check((TxnRequest) request);
        }
    }

    private static void compact(Fixture f, Random rnd, Compaction[] pending, Counts counts) {
        if (pending[0] != null) {
            pending[0].runToCompletion();
            pending[0] = null;
        }
        long lo = Math.max(1, f.model.compacted());
        long at = lo + rnd.nextInt((int) (f.model.revision() - lo + 2));
        Fixture.Outcome model = Fixture.Outcome.of(() -> {
            f.model.compact(at);
            return at;
        });
        Compaction[] started = {null};
        Fixture.Outcome store = Fixture.Outcome.of(() -> {
            started[0] = f.store.compact(at);
            return at;
        });
        assertThat(store).as("compact %d", at).isEqualTo(model);
        if (started[0] == null) {
            return;
        }
        counts.compactions++;
        if (rnd.nextBoolean()) {
            started[0].runToCompletion();
        } else {
            for (int i = rnd.nextInt(3); i > 0 && started[0].step(); i--) {
                // a bounded number of steps, then leave the rest for later (or for the reopen to resume)
            }
            pending[0] = started[0].isDone() ? null : started[0];
        }
        assertThat(f.store.compactedRevision()).isEqualTo(f.model.compacted());
    }

    private static void reopen(Fixture f, Random rnd, Compaction[] pending, Counts counts) {
        Optional<Compaction> resumed = f.reopen();
        counts.reopens++;
        assertThat(resumed.isPresent()).as("a compaction left half done resumes").isEqualTo(pending[0] != null);
        pending[0] = null;
        resumed.ifPresent(c -> {
            counts.resumed++;
            c.runToCompletion();
        });
        assertThat(f.store.currentRevision()).isEqualTo(f.model.revision());
        assertThat(f.store.compactedRevision()).isEqualTo(f.model.compacted());
        checkState(f, rnd);
    }

    private static void checkState(Fixture f, Random rnd) {
        long cur = f.model.revision();
        long lo = Math.max(1, f.model.compacted());
        long past = lo + rnd.nextInt((int) (cur - lo + 1));
        for (long at : new long[] {cur, past}) {
            RangeRequest all = RangeRequest.of(new byte[] {0}, new byte[] {0}).withRevision(at);
            assertThat(f.ops.range(all).kvs()).as("keyspace at %d", at).isEqualTo(f.model.all(at));
        }
        assertThat(f.store.currentRevision()).isEqualTo(cur);
    }
}
