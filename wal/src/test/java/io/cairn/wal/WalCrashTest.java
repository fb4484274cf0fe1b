package io.cairn.wal;

import static io.cairn.wal.Fixtures.METADATA;
import static io.cairn.wal.Fixtures.WAL_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.wal.testing.MemoryWalFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durability by killing: cut the tail at every byte, zero it at every sector, fail the n-th sync and crash with a
 * torn write; the reopened log must hold exactly the whole records before the cut (every acknowledged save), and
 * must accept appends again. Every failure message carries the seed.
 */
class WalCrashTest {
    private static final long SEED = 0xCA1A;

    /** One frame of the tail segment as laid out on disk. */
    record Frame(long offset, long recordBytes, long end, long type, byte[] data) {
        long dataEnd() {
            return offset + RecordEncoder.FRAME_HEADER_BYTES + recordBytes;
        }
    }

    private static List<Frame> frames(MemoryWalFiles files, WalOptions options, String segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(files.bytes(WAL_DIR.resolve(segment))).order(ByteOrder.LITTLE_ENDIAN);
        List<Frame> frames = new ArrayList<>();
        new WalReader(files, WAL_DIR, options).scanAll(ReadMode.STRICT, r -> {
            if (r.segment().equals(segment)) {
                long word = bytes.getLong((int) r.offset());
                long length = word & 0x00FF_FFFF_FFFF_FFFFL;
                long padding = word < 0 ? (word >>> 56) & 7 : 0;
                frames.add(new Frame(r.offset(), length, r.offset() + 8 + length + padding, r.type(), r.data()));
            }
        });
        return frames;
    }

    /** Writes {@code saves} random batches (1..3 entries, payloads up to {@code maxPayload}, a state each). */
    private static MemoryWalFiles write(WalOptions options, int saves, int maxPayload, long seed) {
        MemoryWalFiles files = new MemoryWalFiles();
        SplittableRandom random = new SplittableRandom(seed);
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, options, METADATA)) {
            long index = 1;
            for (int s = 0; s < saves; s++) {
                List<WalEntry> batch = new ArrayList<>();
                for (int n = random.nextInt(1, 4); n > 0; n--) {
                    byte[] payload = new byte[random.nextInt(0, maxPayload + 1)];
                    random.nextBytes(payload);
                    batch.add(Fixtures.entry(index++, 1, payload));
                }
                wal.save(Fixtures.hardState(1, 1, index - 1), batch);
            }
        }
        return files;
    }

    /** The entry indexes and the last state of the frames kept. */
    private static void assertRecovered(WalContents contents, List<Frame> kept, String context) {
        List<Long> indexes = new ArrayList<>();
        byte[] state = new byte[0];
        for (Frame f : kept) {
            if (f.type() == RecordType.ENTRY.code()) {
                indexes.add(WalEntry.of(f.data()).index());
            } else if (f.type() == RecordType.STATE.code()) {
                state = f.data();
            }
        }
        assertThat(contents.entries()).as(context).extracting(WalEntry::index).containsExactlyElementsOf(indexes);
        assertThat(contents.hardState()).as(context).isEqualTo(state);
    }

    private static void assertAppendable(MemoryWalFiles files, WalOptions options, SegmentedWal.Opened opened,
                                         String context) {
        long next = opened.wal().lastIndex() + 1;
        try (SegmentedWal wal = opened.wal()) {
            wal.save(Fixtures.hardState(2, 1, next), List.of(Fixtures.entry(next, 2)));
        }
        WalContents again = SegmentedWal.open(Fixtures.context(files), WAL_DIR, options, WalSnapshot.ZERO)
            .contents();
        assertThat(again.entries()).as(context).hasSize(opened.contents().entries().size() + 1);
        assertThat(again.entries().get(again.entries().size() - 1)).as(context).isEqualTo(Fixtures.entry(next, 2));
        assertThat(again.tornTail()).as(context).isEmpty();
    }

    @ParameterizedTest(name = "preallocate={0}")
    @ValueSource(booleans = {false, true})
    void truncatingTheTailAtEveryByteOfItsLastRecordsKeepsExactlyTheWholeOnes(boolean preallocate) throws Exception {
        WalOptions options = Fixtures.smallSegments(1 << 20).withPreallocate(preallocate);
        MemoryWalFiles files = write(options, 30, 700, SEED);
        String tail = "0000000000000000-0000000000000000.wal";
        List<Frame> frames = frames(files, options, tail);
        long dataEnd = frames.get(frames.size() - 1).end();
        for (long cut = frames.get(frames.size() - 8).offset(); cut <= dataEnd; cut++) {
            String context = String.format("seed %d, preallocate %b, tail cut at byte %d", SEED, preallocate, cut);
            MemoryWalFiles copy = files.copy();
            copy.putDurably(WAL_DIR.resolve(tail), Arrays.copyOf(files.bytes(WAL_DIR.resolve(tail)), (int) cut));
            long at = cut;
            List<Frame> kept = frames.stream().filter(f -> f.end() <= at).toList();
            boolean onBoundary = frames.stream().anyMatch(f -> f.end() == at || f.offset() == at);
            SegmentedWal.Opened opened = SegmentedWal.open(Fixtures.context(copy), WAL_DIR, options,
                WalSnapshot.ZERO);
            assertRecovered(opened.contents(), kept, context);
            assertThat(opened.contents().tornTail().isPresent()).as(context).isEqualTo(!onBoundary);
            assertAppendable(copy, options, opened, context);
        }
    }

    @ParameterizedTest(name = "seed offset {0}")
    @ValueSource(longs = {0, 1, 2})
    void zeroingThePreallocatedTailAtEverySectorKeepsTheRecordsBeforeIt(long seedOffset) throws Exception {
        long seed = SEED + seedOffset;
        WalOptions options = Fixtures.smallSegments(1 << 20);
        MemoryWalFiles files = write(options, 25, 1500, seed);
        String tail = "0000000000000000-0000000000000000.wal";
        Path path = WAL_DIR.resolve(tail);
        List<Frame> frames = frames(files, options, tail);
        long dataEnd = frames.get(frames.size() - 1).end();
        long first = frames.get(frames.size() - 12).offset() / RecordDecoder.SECTOR_BYTES;
        for (long sector = first; sector * RecordDecoder.SECTOR_BYTES <= dataEnd + 512; sector++) {
            long zeroFrom = sector * RecordDecoder.SECTOR_BYTES;
            String context = String.format("seed %d, tail zeroed from byte %d", seed, zeroFrom);
            byte[] bytes = files.bytes(path);
            Arrays.fill(bytes, (int) zeroFrom, bytes.length, (byte) 0);
            MemoryWalFiles copy = files.copy();
            copy.putDurably(path, bytes);
            List<Frame> kept = frames.stream().filter(f -> f.dataEnd() <= zeroFrom).toList();
            boolean torn = frames.stream().anyMatch(f -> f.offset() + 8 <= zeroFrom && zeroFrom < f.dataEnd());
            SegmentedWal.Opened opened = SegmentedWal.open(Fixtures.context(copy), WAL_DIR, options,
                WalSnapshot.ZERO);
            assertRecovered(opened.contents(), kept, context);
            assertThat(opened.contents().tornTail().isPresent()).as(context).isEqualTo(torn);
            assertAppendable(copy, options, opened, context);
        }
    }

    @ParameterizedTest(name = "preallocate={0}")
    @ValueSource(booleans = {false, true})
    void failingTheNthSyncAndCrashingKeepsEveryAcknowledgedSave(boolean preallocate) throws Exception {
        WalOptions options = Fixtures.smallSegments(4096).withPreallocate(preallocate);
        int saves = 40;
        for (int failAt = 0; failAt < saves; failAt++) {
            for (int tear = 0; tear < 3; tear++) {
                long seed = SEED * 31 + failAt * 7L + tear;
                crashRun(options, saves, failAt, seed);
            }
        }
    }

    /** Saves until the sync after {@code failAt} good ones fails, crashes tearing the tail, checks the log. */
    private static void crashRun(WalOptions options, int saves, int failAt, long seed) throws IOException {
        String context = String.format("seed %d, preallocate %b, sync %d fails", seed, options.preallocate(), failAt);
        SplittableRandom random = new SplittableRandom(seed);
        MemoryWalFiles files = new MemoryWalFiles();
        SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, options, METADATA);
        files.failForcesAfter(failAt);
        List<WalEntry> acknowledged = new ArrayList<>();
        List<WalEntry> failed = List.of();
        for (int s = 0; s < saves && failed.isEmpty(); s++) {
            long index = acknowledged.size() + 1;
            List<WalEntry> batch = new ArrayList<>();
            for (int n = random.nextInt(1, 4); n > 0; n--, index++) {
                batch.add(Fixtures.entry(index, 1, new byte[random.nextInt(0, 900)]));
            }
            try {
                wal.save(Fixtures.hardState(1, 1, index - 1), batch);
                acknowledged.addAll(batch);
            } catch (WalIoException expected) {
                failed = batch;
            }
        }
        Path tail = WAL_DIR.resolve(wal.tailSegment().fileName());
        long size = files.bytes(tail).length;
        long keep = random.nextLong(0, size + 1);
        files.crashTearing(tail, options.preallocate() ? keep / 512 * 512 : keep);
        wal.close();
        files.failForces(false);
        SegmentedWal.Opened opened = SegmentedWal.open(Fixtures.context(files), WAL_DIR, options, WalSnapshot.ZERO);
        List<WalEntry> recovered = opened.contents().entries();
        assertThat(recovered.size()).as(context).isBetween(acknowledged.size(), acknowledged.size() + failed.size());
        assertThat(recovered.subList(0, acknowledged.size())).as(context).isEqualTo(acknowledged);
        assertThat(recovered.subList(acknowledged.size(), recovered.size())).as(context)
            .isEqualTo(failed.subList(0, recovered.size() - acknowledged.size()));
        assertAppendable(files, options, opened, context);
    }
}
