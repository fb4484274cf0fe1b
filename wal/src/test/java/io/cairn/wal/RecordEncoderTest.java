package io.cairn.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.wal.pb.Record;
import io.cairn.wal.testing.MemoryWalFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written frames equal protobuf's encoding of the same walpb.Record, framed as etcd frames it. */
class RecordEncoderTest {
    private static final Path FILE = Path.of("/frames");

    private static byte[] frames(RecordEncoder encoder) throws IOException {
        MemoryWalFiles files = new MemoryWalFiles();
        files.createDirectories(FILE.getParent());
        try (SegmentChannel channel = files.create(FILE)) {
            encoder.writeTo(channel, 0);
        }
        return files.bytes(FILE);
    }

    private static byte[] expectedFrame(RecordType type, int crc, byte[] data) {
        Record.Builder record = Record.newBuilder().setType(type.code()).setCrc(crc);
        if (data != null) {
            record.setData(ByteString.copyFrom(data));
        }
        byte[] bytes = record.build().toByteArray();
        int padding = (8 - bytes.length % 8) % 8;
        long word = bytes.length | (padding == 0 ? 0 : (0x80L | padding) << 56);
        return ByteBuffer.allocate(8 + bytes.length + padding).order(ByteOrder.LITTLE_ENDIAN).putLong(word)
            .put(bytes).array();
    }

    @Test
    void framesEqualProtobufsEncodingForRandomRecords() throws IOException {
        long seed = 0xE1C0;
        SplittableRandom random = new SplittableRandom(seed);
        for (int run = 0; run < 2000; run++) {
            int crc = random.nextInt();
            RecordEncoder encoder = new RecordEncoder(crc, 1 << 20);
            RecordType type = RecordType.values()[random.nextInt(RecordType.values().length)];
            byte[] expected;
            if (type == RecordType.CRC) {
                encoder.encodeCrc();
                expected = expectedFrame(type, crc, null);
            } else {
                int[] lengths = {0, 1, 7, 127, 128, 300, 16383, 16384, random.nextInt(0, 70_000)};
                byte[] data = new byte[lengths[random.nextInt(lengths.length)]];
                random.nextBytes(data);
                encoder.encode(type, data);
                expected = expectedFrame(type, Crc32c.update(crc, data), data);
                assertThat(encoder.crc()).isEqualTo(Crc32c.update(crc, data));
            }
            assertThat(frames(encoder)).as("seed %d run %d %s", seed, run, type).isEqualTo(expected);
        }
    }

    @Test
    void refusesRecordsAboveTheLimitWithoutChangingTheChain() {
        RecordEncoder encoder = new RecordEncoder(7, 1024);
        assertThatThrownBy(() -> encoder.encode(RecordType.ENTRY, new byte[1024]))
            .hasMessageContaining("maxRecordBytes");
        assertThat(encoder.crc()).isEqualTo(7);
        assertThat(encoder.pendingBytes()).isZero();
        assertThat(RecordEncoder.maxFrameBytes(1000)).isGreaterThanOrEqualTo(8 + 1 + 1 + 1 + 5 + 1 + 2 + 1000);
    }
}
