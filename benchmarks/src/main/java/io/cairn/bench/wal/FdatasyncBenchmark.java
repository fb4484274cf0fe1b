package io.cairn.bench.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * The physical limit for {@link WalBenchmark}: sequential positional writes of the bytes one WAL save of
 * {@code batch} entries writes ({@link #FRAME_BYTES_PER_ENTRY} each), each followed by {@code force(false)}
 * (fdatasync), into a file preallocated with zeros like a WAL segment, on the same directory. Score: syncs/s.
 *
 * <p>{@code zeros}: {@code once} zero-fills one 64 MB file in setup and writes round it again and again (the bare
 * sync rate; no log can reach it for long, since a log needs fresh zeroed space as it grows); {@code perFile}
 * moves on to a fresh file when one is full, each zero-filled and synced ahead on a second thread, the way the WAL
 * (and etcd's file pipeline) prepares segments: the limit for any log that preallocates with zeros, since the disk
 * then carries the zeros as well as the records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FdatasyncBenchmark {
    /** Frame bytes of one 256-byte entry: 8-byte length, record header, raftpb.Entry header, padding. */
    static final int FRAME_BYTES_PER_ENTRY = 296;
    private static final long FILE_BYTES = 64L * 1024 * 1024;

    @Param({"1", "10", "100", "1000"})
    public int batch;

    @Param({"once", "perFile"})
    public String zeros;

    private Path dir;
    private FileChannel channel;
    private ByteBuffer block;
    private long position;
    private ExecutorService preparer;
    private Future<FileChannel> next;
    private int files;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchDirs.fresh("fdatasync-" + batch);
        preparer = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fdatasync-preparer");
            thread.setDaemon(true);
            return thread;
        });
        channel = zeroFilled(dir.resolve("sync-0.bin"));
        if (zeros.equals("perFile")) {
            next = prepareNext();
        }
        byte[] bytes = new byte[batch * FRAME_BYTES_PER_ENTRY];
        new SplittableRandom(1).nextBytes(bytes);
        block = ByteBuffer.wrap(bytes);
    }

    /** A new file of {@link #FILE_BYTES} zeros, synced. */
    private static FileChannel zeroFilled(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < FILE_BYTES; at += zeros.capacity()) {
            channel.write(zeros.clear(), at);
        }
        channel.force(true);
        return channel;
    }

    private Future<FileChannel> prepareNext() {
        Path file = dir.resolve("sync-" + ++files + ".bin");
        return preparer.submit(() -> zeroFilled(file));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        channel.close();
        if (next != null) {
            next.get().close();
        }
        preparer.shutdown();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void writeAndSync() throws Exception {
        if (position + block.capacity() > FILE_BYTES) {
            position = 0;
            if (next != null) {
                FileChannel full = channel;
                channel = next.get();
                full.close();
                Files.delete(dir.resolve("sync-" + (files - 1) + ".bin"));
                next = prepareNext();
            }
        }
        block.clear();
        while (block.hasRemaining()) {
            position += channel.write(block, position);
        }
        channel.force(false);
    }
}
