package io.cairn.bench.wal;

import com.google.protobuf.UnsafeByteOperations;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.SegmentedWal;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalEntry;
import io.cairn.wal.WalObserver;
import io.cairn.wal.WalOptions;
import io.cairn.wal.WalSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * WAL group commit: one {@code save} of {@code batch} entries ({@code entryBytes} of data each) plus a HardState,
 * which is one write and one fdatasync, on the disk holding {@code -Dcairn.bench.dir}. The score is saves/s; the
 * aux counters {@code entries} and {@code fsyncs} are entries/s and syncs/s. Compare with
 * {@link FdatasyncBenchmark} at the same batch: the same bytes per sync with a bare FileChannel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBenchmark {
    /** Old segments are released about this often, keeping disk use near maxWalFiles segments. */
    private static final long RELEASE_EVERY_ENTRIES = 200_000;

    /** Entries per save (per fsync): the group-commit batch the server forms from concurrent proposals. */
    @Param({"1", "10", "100", "1000"})
    public int batch;

    @Param({"256"})
    public int entryBytes;

    private Path dir;
    private SegmentedWal wal;
    private byte[] payload;
    private long nextIndex = 1;
    private long lastRelease;
    private long syncs;

    /** Per-iteration counts that JMH turns into rates. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long entries;
        public long fsyncs;

        @Setup(Level.Iteration)
        public void reset() {
            entries = 0;
            fsyncs = 0;
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchDirs.fresh("wal-" + batch);
        WalObserver countSyncs = new WalObserver() {
            @Override
            public void synced(long nanos) {
                syncs++;
            }
        };
        WalContext context = new WalContext(new DiskWalFiles(), System::nanoTime, countSyncs);
        wal = SegmentedWal.create(context, dir, WalOptions.defaults().withMaxWalFiles(2), new byte[] {8, 1, 16, 1});
        payload = new byte[entryBytes];
        new SplittableRandom(1).nextBytes(payload);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        wal.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void save(Counters counters) {
        List<WalEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            byte[] entry = Entry.newBuilder().setTerm(1).setIndex(nextIndex++).setType(EntryType.EntryNormal)
                .setData(UnsafeByteOperations.unsafeWrap(payload)).build().toByteArray();
            entries.add(WalEntry.of(entry));
        }
        long lastIndex = nextIndex - 1;
        byte[] hardState = HardState.newBuilder().setTerm(1).setVote(1).setCommit(lastIndex).build().toByteArray();
        long before = syncs;
        wal.save(hardState, entries);
        if (lastIndex - lastRelease >= RELEASE_EVERY_ENTRIES) {
            wal.saveSnapshot(WalSnapshot.of(lastIndex, 1));
            wal.releaseTo(lastIndex);
            lastRelease = lastIndex;
        }
        counters.entries += batch;
        counters.fsyncs += syncs - before;
    }
}
