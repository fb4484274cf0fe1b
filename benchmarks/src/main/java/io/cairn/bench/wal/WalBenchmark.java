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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * aux counters {@code entries} and {@code fsyncs} are entries/s and syncs/s, and {@code cpuMicros} is the saving
 * thread's CPU time in microseconds per second of the run (10,000 = 1 % busy): well below 1,000,000, the thread
 * waits on the disk, not on its own work. With {@code -Dcairn.bench.userTime=true}, {@code userMicros} is the part
 * outside the kernel (our code), read from /proc on Linux at some 10 us per save, which slows small saves.
 * Compare with {@link FdatasyncBenchmark} at the same batch: the same bytes per sync with a bare FileChannel.
 *
 * <p>{@link #save} builds and protobuf-encodes every entry inside the measured call, as the server pays it;
 * {@link #saveEncoded} saves entries encoded once in setup (only their index bytes are rewritten per save), so
 * the WAL's own cost shows. The next segment file is prepared on a thread of the benchmark's, as the server does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBenchmark {
    /** Old segments are released about this often, keeping disk use near maxWalFiles segments. */
    private static final long RELEASE_EVERY_ENTRIES = 200_000;
    /** The pre-encoded entries carry their index as a 4-byte varint (non-minimal below 2^21, as protobuf allows). */
    private static final long INDEX_LIMIT = 1L << 28;
    private static final int INDEX_VARINT_BYTES = 4;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean USER_TIME = Boolean.getBoolean("cairn.bench.userTime");

    /** Entries per save (per fsync): the group-commit batch the server forms from concurrent proposals. */
    @Param({"1", "10", "100", "1000"})
    public int batch;

    @Param({"256"})
    public int entryBytes;

    /** Segment preallocation (zero-filled ahead on the preparer thread), the server's setting; false grows files. */
    @Param({"true"})
    public boolean preallocate;

    private Path dir;
    private SegmentedWal wal;
    private ExecutorService preparer;
    private byte[] payload;
    private byte[][] encoded;
    private int indexOffset;
    private long nextIndex = 1;
    private long lastRelease;
    private long syncs;

    /** Per-iteration counts that JMH turns into rates. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long entries;
        public long fsyncs;
        public long cpuMicros;
        public long userMicros;

        @Setup(Level.Iteration)
        public void reset() {
            entries = 0;
            fsyncs = 0;
            cpuMicros = 0;
            userMicros = 0;
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
        preparer = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "wal-segment-preparer");
            thread.setDaemon(true);
            return thread;
        });
        WalContext context = new WalContext(new DiskWalFiles(), System::nanoTime, countSyncs, preparer);
        wal = SegmentedWal.create(context, dir, WalOptions.defaults().withMaxWalFiles(2).withPreallocate(preallocate),
            new byte[] {8, 1, 16, 1});
        payload = new byte[entryBytes];
        new SplittableRandom(1).nextBytes(payload);
        encodeTemplates();
    }

    /** {@code batch} encoded entries whose index field is a 4-byte varint at {@code indexOffset}. */
    private void encodeTemplates() {
        byte[] template = encode(1L << 21);
        byte[] indexField = {0x18, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        indexOffset = -1;
        for (int i = 0; i + indexField.length <= template.length && indexOffset < 0; i++) {
            if (Arrays.equals(template, i, i + indexField.length, indexField, 0, indexField.length)) {
                indexOffset = i + 1;
            }
        }
        if (indexOffset < 0) {
            throw new IllegalStateException("no index field in the encoded entry");
        }
        encoded = new byte[batch][];
        for (int i = 0; i < batch; i++) {
            encoded[i] = template.clone();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        wal.close();
        preparer.shutdown();
        BenchDirs.delete(dir);
    }

    private byte[] encode(long index) {
        return Entry.newBuilder().setTerm(1).setIndex(index).setType(EntryType.EntryNormal)
            .setData(UnsafeByteOperations.unsafeWrap(payload)).build().toByteArray();
    }

    /** Entries built and encoded here, as the server does. */
    @Benchmark
    public void save(Counters counters) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long user = userTime();
        List<WalEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(WalEntry.of(encode(nextIndex++)));
        }
        saveAndCount(entries, counters, cpu, user);
    }

    /**
     * Entries encoded in setup: only their 4-byte index varint is rewritten (the arrays are reused; the WAL keeps
     * no reference to them once save returns).
     */
    @Benchmark
    public void saveEncoded(Counters counters) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long user = userTime();
        if (nextIndex + batch >= INDEX_LIMIT) {
            throw new IllegalStateException("index beyond the 4-byte varint of the pre-encoded entries");
        }
        List<WalEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            long index = nextIndex++;
            byte[] entry = encoded[i];
            for (int b = 0; b < INDEX_VARINT_BYTES; b++) {
                long group = (index >>> (7 * b)) & 0x7F;
                entry[indexOffset + b] = (byte) (b < INDEX_VARINT_BYTES - 1 ? group | 0x80 : group);
            }
            entries.add(new WalEntry(index, 1, entry));
        }
        saveAndCount(entries, counters, cpu, user);
    }

    private static long userTime() {
        return USER_TIME ? THREADS.getCurrentThreadUserTime() : 0;
    }

    /** Saves, releases old segments now and then, and counts; cpu, user: the thread's times at the call. */
    private void saveAndCount(List<WalEntry> entries, Counters counters, long cpu, long user) {
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
        counters.cpuMicros += (THREADS.getCurrentThreadCpuTime() - cpu) / 1000;
        counters.userMicros += (userTime() - user) / 1000;
    }
}
