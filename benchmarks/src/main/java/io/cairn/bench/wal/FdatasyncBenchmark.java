package io.cairn.bench.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
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

    private Path dir;
    private FileChannel channel;
    private ByteBuffer block;
    private long position;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchDirs.fresh("fdatasync-" + batch);
        channel = FileChannel.open(dir.resolve("sync.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < FILE_BYTES; at += zeros.capacity()) {
            channel.write(zeros.clear(), at);
        }
        channel.force(true);
        byte[] bytes = new byte[batch * FRAME_BYTES_PER_ENTRY];
        new SplittableRandom(1).nextBytes(bytes);
        block = ByteBuffer.wrap(bytes);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void writeAndSync() throws IOException {
        if (position + block.capacity() > FILE_BYTES) {
            position = 0;
        }
        block.clear();
        while (block.hasRemaining()) {
            position += channel.write(block, position);
        }
        channel.force(false);
    }
}
