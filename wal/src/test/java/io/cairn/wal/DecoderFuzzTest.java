package io.cairn.wal;

import static io.cairn.wal.Fixtures.METADATA;
import static io.cairn.wal.Fixtures.WAL_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cairn.wal.testing.MemoryWalFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random input for the reader: pure noise and mutated valid logs. The reader either reads or fails with a
 * {@link WalException}, in every mode, and never asks for a buffer larger than a window or one bounded frame.
 */
class DecoderFuzzTest {
    private static final long SEED = 0xF022L;
    private static final int RUNS = 3000;
    private static final int WINDOW_BYTES = 64 * 1024;

    /** Records the largest read request, i.e. the largest buffer the reader allocated to fill. */
    private static final class ProbedFiles implements WalFiles {
        final MemoryWalFiles delegate;
        int largestRead;

        ProbedFiles(MemoryWalFiles delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<String> list(Path dir) {
            return delegate.list(dir);
        }

        @Override
        public void createDirectories(Path dir) {
            delegate.createDirectories(dir);
        }

        @Override
        public boolean exists(Path file) {
            return delegate.exists(file);
        }

        @Override
        public SegmentChannel create(Path file) throws IOException {
            return delegate.create(file);
        }

        @Override
        public SegmentChannel open(Path file, boolean writable) throws IOException {
            SegmentChannel channel = delegate.open(file, writable);
            return new SegmentChannel() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    largestRead = Math.max(largestRead, dst.remaining());
                    return channel.read(dst, position);
                }

                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    channel.write(src, position);
                }

                @Override
                public void force() throws IOException {
                    channel.force();
                }

                @Override
                public void truncate(long size) throws IOException {
                    channel.truncate(size);
                }

                @Override
                public long size() throws IOException {
                    return channel.size();
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            delegate.rename(from, to);
        }

        @Override
        public void delete(Path file) {
            delegate.delete(file);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            delegate.syncDirectory(dir);
        }

        @Override
        public Closeable lock(Path lockFile) throws IOException {
            return delegate.lock(lockFile);
        }
    }

    private static MemoryWalFiles validLog(SplittableRandom random, WalOptions options) {
        MemoryWalFiles files = new MemoryWalFiles();
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, options, METADATA)) {
            for (int i = 1; i <= 30; i++) {
                byte[] payload = new byte[random.nextInt(0, 900)];
                random.nextBytes(payload);
                wal.save(Fixtures.hardState(1, 1, i), List.of(Fixtures.entry(i, 1, payload)));
                if (i % 10 == 0) {
                    wal.saveSnapshot(WalSnapshot.of(i - 5, 1));
                }
            }
        }
        return files;
    }

    private static void mutate(MemoryWalFiles files, SplittableRandom random) throws IOException {
        List<SegmentName> segments = SegmentName.among(files.list(WAL_DIR));
        Path path = WAL_DIR.resolve(segments.get(random.nextInt(segments.size())).fileName());
        byte[] bytes = files.bytes(path);
        for (int m = random.nextInt(1, 6); m > 0; m--) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] ^= (byte) random.nextInt(1, 256);
                case 1 -> {
                    int word = at & ~7;
                    long[] lengths = {Long.MAX_VALUE, -1L, 0x00FF_FFFF_FFFF_FFFFL, 0x87L << 56 | 0x7FFF_FFF9L,
                        random.nextLong(), random.nextInt(0, 1 << 20), 8L * random.nextInt(1, 5000)};
                    if (word + 8 <= bytes.length) {
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(word,
                            lengths[random.nextInt(lengths.length)]);
                    }
                }
                case 2 -> Arrays.fill(bytes, at, Math.min(bytes.length, at + random.nextInt(1, 2000)),
                    (byte) 0);
                case 3 -> bytes = Arrays.copyOf(bytes, at);
                default -> {
                    int from = random.nextInt(bytes.length);
                    int length = Math.min(random.nextInt(1, 600), Math.min(bytes.length - from, bytes.length - at));
                    System.arraycopy(bytes, from, bytes, at, length);
                }
            }
            if (bytes.length == 0) {
                break;
            }
        }
        files.putDurably(path, bytes);
    }

    private static void readEveryWay(ProbedFiles files, WalOptions options, String context) {
        WalReader reader = new WalReader(files, WAL_DIR, options);
        for (ReadMode mode : ReadMode.values()) {
            try {
                WalContents contents = reader.readAll(WalSnapshot.ZERO, mode);
                assertThat(contents.entries()).as(context).isNotNull();
                reader.scanAll(mode, r -> assertThat(r.data()).isNotNull());
            } catch (WalException expected) {
                assertThat(expected.getMessage()).as(context).startsWith("wal:");
            } catch (RuntimeException e) {
                fail(context + ", mode " + mode + ": " + e, e);
            }
        }
        assertThat(files.largestRead).as(context)
            .isLessThanOrEqualTo(Math.max(WINDOW_BYTES, options.maxRecordBytes() + 8));
    }

    @Test
    void mutatedLogsReadOrFailWithAWalException() throws IOException {
        WalOptions options = Fixtures.smallSegments(8 * 1024).withMaxRecordBytes(100_000);
        for (int run = 0; run < RUNS; run++) {
            long seed = SEED + run;
            SplittableRandom random = new SplittableRandom(seed);
            MemoryWalFiles files = validLog(random, options);
            mutate(files, random);
            readEveryWay(new ProbedFiles(files), options, "seed " + seed);
        }
    }

    @Test
    void noiseReadsOrFailsWithAWalException() {
        WalOptions options = WalOptions.defaults().withMaxRecordBytes(4096);
        for (int run = 0; run < RUNS; run++) {
            long seed = SEED * 7 + run;
            SplittableRandom random = new SplittableRandom(seed);
            byte[] noise = new byte[random.nextInt(0, 20_000)];
            random.nextBytes(noise);
            if (noise.length >= 16 && random.nextBoolean()) {
                // A valid crc frame first, so the decoder gets past the first record more often.
                ByteBuffer.wrap(noise).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 4).put(8, (byte) 0x08)
                    .put(9, (byte) 0x04).put(10, (byte) 0x10).put(11, (byte) 0x00).putInt(12, 0);
            }
            MemoryWalFiles files = new MemoryWalFiles();
            files.putDurably(WAL_DIR.resolve("0000000000000000-0000000000000000.wal"), noise);
            readEveryWay(new ProbedFiles(files), options, "seed " + seed);
        }
    }
}
