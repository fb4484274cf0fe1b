package io.cairn.wal;

import static io.cairn.wal.Fixtures.METADATA;
import static io.cairn.wal.Fixtures.WAL_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.wal.testing.MemoryWalFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damage that no crash explains is found, located and never skipped: byte flips in every frame of a two-segment
 * log (length word, record, padding), a damaged length word near the tail, a missing segment.
 */
class WalCorruptionTest {
    private static final long SEED = 0xF11B;
    private static final WalOptions OPTIONS = Fixtures.smallSegments(8 * 1024);
    private static final int SAVES = 60;

    private MemoryWalFiles files;
    private final List<WalReader.RawRecord> records = new ArrayList<>();

    @BeforeEach
    void writeTwoSegments() {
        files = new MemoryWalFiles();
        SplittableRandom random = new SplittableRandom(SEED);
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, OPTIONS, METADATA)) {
            for (int i = 1; i <= SAVES; i++) {
                byte[] payload = new byte[random.nextInt(1, 600)];
                random.nextBytes(payload);
                wal.save(Fixtures.hardState(1, 1, i), List.of(Fixtures.entry(i, 1, payload)));
            }
            assertThat(wal.tailSegment().sequence()).as("the log spans segments").isPositive();
        }
        new WalReader(files, WAL_DIR, OPTIONS).scanAll(ReadMode.STRICT, records::add);
    }

    private MemoryWalFiles flipped(String segment, long at, int mask) throws IOException {
        MemoryWalFiles copy = files.copy();
        Path path = WAL_DIR.resolve(segment);
        byte[] bytes = copy.bytes(path);
        bytes[(int) at] ^= (byte) mask;
        copy.putDurably(path, bytes);
        return copy;
    }

    private static long frameEnd(byte[] segment, long offset) {
        long word = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN).getLong((int) offset);
        return offset + 8 + (word & 0x00FF_FFFF_FFFF_FFFFL) + (word < 0 ? (word >>> 56) & 7 : 0);
    }

    /**
     * Every byte of every frame but the log's last one, except the record type's value byte (not covered by the
     * CRC in etcd's format; see the next tests). The last frame's length word is the one place where damage looks
     * exactly like a torn write, in etcd too.
     */
    @Test
    void aFlippedByteAnywhereInAFrameButItsTypeIsFoundAtThatFrame() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        int checked = 0;
        for (WalReader.RawRecord r : records.subList(0, records.size() - 1)) {
            byte[] segment = files.bytes(WAL_DIR.resolve(r.segment()));
            checked += flipEachByte(r, r.offset(), frameEnd(segment, r.offset()), random);
        }
        assertThat(checked).isGreaterThan(20_000);
    }

    @Test
    void aFlippedByteInTheRecordOfTheLastFrameIsFoundToo() throws IOException {
        WalReader.RawRecord last = records.get(records.size() - 1);
        byte[] segment = files.bytes(WAL_DIR.resolve(last.segment()));
        assertThat(flipEachByte(last, last.offset() + 10, frameEnd(segment, last.offset()),
            new SplittableRandom(SEED))).isPositive();
    }

    private int flipEachByte(WalReader.RawRecord r, long from, long to, SplittableRandom random) throws IOException {
        int checked = 0;
        for (long at = from; at < to; at++) {
            if (at == r.offset() + 9) {
                continue;
            }
            int mask = random.nextInt(1, 256);
            String context = String.format("seed %d: %s byte %d of the frame at %d ^ %02x", SEED, r.segment(), at,
                r.offset(), mask);
            MemoryWalFiles copy = flipped(r.segment(), at, mask);
            WalCorruptionException e = catchThrowableOfType(WalCorruptionException.class,
                () -> SegmentedWal.open(Fixtures.context(copy), WAL_DIR, OPTIONS, WalSnapshot.ZERO));
            assertThat(e).as(context).isNotNull();
            assertThat(e.file()).as(context).isEqualTo(r.segment());
            assertThat(e.offset()).as(context).isEqualTo(r.offset());
            checked++;
        }
        return checked;
    }

    @Test
    void aCrcMismatchNamesSegmentOffsetAndBothCrcs() throws IOException {
        WalReader.RawRecord entry = records.stream().filter(r -> r.type() == RecordType.ENTRY.code()).skip(3)
            .findFirst().orElseThrow();
        MemoryWalFiles copy = flipped(entry.segment(), entry.offset() + 30, 0x40);
        WalCorruptionException e = catchThrowableOfType(WalCorruptionException.class,
            () -> SegmentedWal.open(Fixtures.context(copy), WAL_DIR, OPTIONS, WalSnapshot.ZERO));
        assertThat(e.expectedCrc()).hasValue(entry.crc());
        assertThat(e.actualCrc()).isPresent().isNotEqualTo(e.expectedCrc());
        assertThat(e).hasMessage(String.format("wal: corruption in %s at offset %d: crc mismatch (expected crc %08x,"
            + " actual %08x)", entry.segment(), entry.offset(), entry.crc(), e.actualCrc().getAsInt()));

        WalContents report = new WalReader(copy, WAL_DIR, OPTIONS).readAll(WalSnapshot.ZERO, ReadMode.REPORT);
        assertThat(report.problem()).containsInstanceOf(WalCorruptionException.class);
        assertThat(report.entries()).hasSize(3);
        WalContents past = new WalReader(copy, WAL_DIR, OPTIONS).readAll(WalSnapshot.ZERO,
            ReadMode.CONTINUE_PAST_CRC_ERRORS);
        assertThat(past.problem()).isEmpty();
        assertThat(past.crcErrors()).isEqualTo(1);
        assertThat(past.entries()).hasSize(SAVES);
    }

    @Test
    void aDamagedLengthWordBeforeTheLastRecordIsCorruptionNotATornTail() throws IOException {
        String tail = records.get(records.size() - 1).segment();
        WalReader.RawRecord lastButOne = records.get(records.size() - 2);
        for (int bit = 3; bit < 24; bit++) {
            MemoryWalFiles copy = flipped(tail, lastButOne.offset() + bit / 8, 1 << (bit % 8));
            String context = "length bit " + bit;
            assertThatThrownBy(() -> SegmentedWal.open(Fixtures.context(copy), WAL_DIR, OPTIONS, WalSnapshot.ZERO))
                .as(context).isInstanceOfSatisfying(WalCorruptionException.class,
                    e -> assertThat(e.offset()).as(context).isEqualTo(lastButOne.offset()));
        }
    }

    @Test
    void aRecordTypeFlippedFromEntryToStateEscapesItsCrcButLeavesAGapThatIsFound() throws IOException {
        WalReader.RawRecord entry = records.stream().filter(r -> r.type() == RecordType.ENTRY.code()).skip(5)
            .findFirst().orElseThrow();
        MemoryWalFiles copy = flipped(entry.segment(), entry.offset() + 9, RecordType.ENTRY.code() == 2 ? 1 : 0);
        assertThatThrownBy(() -> SegmentedWal.open(Fixtures.context(copy), WAL_DIR, OPTIONS, WalSnapshot.ZERO))
            .isInstanceOf(WalCorruptionException.class).hasMessageContaining("gap");
    }

    @Test
    void aMissingSegmentIsCorruption() throws IOException {
        List<SegmentName> segments = SegmentName.among(files.list(WAL_DIR));
        assertThat(segments).hasSizeGreaterThan(2);
        files.delete(WAL_DIR.resolve(segments.get(1).fileName()));
        assertThatThrownBy(() -> SegmentedWal.open(Fixtures.context(files), WAL_DIR, OPTIONS, WalSnapshot.ZERO))
            .isInstanceOf(WalCorruptionException.class).hasMessageContaining("a segment is missing");
    }

    @Test
    void recordsDroppedAtTheEndOfASegmentBreakTheChainAtTheNextOne() throws IOException {
        String first = SegmentName.among(files.list(WAL_DIR)).get(0).fileName();
        WalReader.RawRecord last = records.stream().filter(r -> r.segment().equals(first))
            .reduce((a, b) -> b).orElseThrow();
        byte[] bytes = files.bytes(WAL_DIR.resolve(first));
        java.util.Arrays.fill(bytes, (int) last.offset(), bytes.length, (byte) 0);
        files.putDurably(WAL_DIR.resolve(first), bytes);
        WalCorruptionException e = catchThrowableOfType(WalCorruptionException.class,
            () -> SegmentedWal.open(Fixtures.context(files), WAL_DIR, OPTIONS, WalSnapshot.ZERO));
        assertThat(e.offset()).isZero();
        assertThat(e.file()).isNotEqualTo(first);
        assertThat(e.detail()).isEqualTo("crc mismatch");
    }
}
