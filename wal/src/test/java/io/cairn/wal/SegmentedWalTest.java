package io.cairn.wal;

import static io.cairn.wal.Fixtures.METADATA;
import static io.cairn.wal.Fixtures.WAL_DIR;
import static io.cairn.wal.Fixtures.entries;
import static io.cairn.wal.Fixtures.entry;
import static io.cairn.wal.Fixtures.hardState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.wal.testing.MemoryWalFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SegmentedWalTest {
    private final MemoryWalFiles files = new MemoryWalFiles();
    private final WalOptions options = Fixtures.smallSegments(64 * 1024);

    private SegmentedWal create() {
        return SegmentedWal.create(Fixtures.context(files), WAL_DIR, options, METADATA);
    }

    private SegmentedWal.Opened open(WalSnapshot start) {
        return SegmentedWal.open(Fixtures.context(files), WAL_DIR, options, start);
    }

    private WalContents reopen(WalSnapshot start) {
        SegmentedWal.Opened opened = open(start);
        opened.wal().close();
        return opened.contents();
    }

    @Test
    void aNewWalReopensEmptyWithItsMetadata() {
        create().close();
        assertThat(files.list(WAL_DIR)).containsExactly("0000000000000000-0000000000000000.wal",
            SegmentedWal.LOCK_FILE);
        WalContents contents = reopen(WalSnapshot.ZERO);
        assertThat(contents.metadata()).isEqualTo(METADATA);
        assertThat(contents.entries()).isEmpty();
        assertThat(contents.hardState()).isEmpty();
        assertThat(contents.snapshotFound()).isTrue();
    }

    @Test
    void savedEntriesAndTheLastHardStateComeBack() {
        try (SegmentedWal wal = create()) {
            wal.save(hardState(1, 1, 0), entries(1, 3, 1));
            wal.save(hardState(1, 1, 3), List.of());
            wal.save(null, entries(4, 5, 1));
            assertThat(wal.lastIndex()).isEqualTo(5);
        }
        WalContents contents = reopen(WalSnapshot.ZERO);
        assertThat(contents.entries()).isEqualTo(entries(1, 5, 1));
        assertThat(contents.hardState()).isEqualTo(hardState(1, 1, 3));
        assertThat(contents.lastIndex()).isEqualTo(5);
    }

    @Test
    void laterEntriesOverwriteTheTailLikeRaftLogTruncation() {
        try (SegmentedWal wal = create()) {
            wal.save(null, entries(1, 5, 1));
            wal.save(null, entries(3, 4, 2));
        }
        List<WalEntry> expected = new ArrayList<>(entries(1, 2, 1));
        expected.addAll(entries(3, 4, 2));
        assertThat(reopen(WalSnapshot.ZERO).entries()).isEqualTo(expected);
    }

    @Test
    void readingStartsAfterASnapshotMarker() {
        try (SegmentedWal wal = create()) {
            wal.save(hardState(1, 1, 4), entries(1, 6, 1));
            wal.saveSnapshot(WalSnapshot.of(4, 1));
        }
        WalContents contents = reopen(WalSnapshot.of(4, 1));
        assertThat(contents.entries()).isEqualTo(entries(5, 6, 1));
        assertThatThrownBy(() -> open(WalSnapshot.of(4, 2))).isInstanceOf(WalStateException.class)
            .hasMessageContaining("snapshot mismatch");
        assertThatThrownBy(() -> open(WalSnapshot.of(3, 1))).isInstanceOf(WalStateException.class)
            .hasMessageContaining("not found");
        WalContents report = new WalReader(files, WAL_DIR, options).readAll(WalSnapshot.of(4, 2), ReadMode.REPORT);
        assertThat(report.problem()).get().isInstanceOf(WalStateException.class);
        assertThat(report.entries()).isEqualTo(entries(5, 6, 1));
    }

    @Test
    void snapshotMarkersListEveryKeptMarkerInOrder() {
        try (SegmentedWal wal = create()) {
            wal.save(hardState(1, 1, 4), entries(1, 6, 1));
            wal.saveSnapshot(WalSnapshot.of(4, 1));
            wal.save(hardState(2, 1, 6), entries(7, 9, 2));
            wal.saveSnapshot(WalSnapshot.of(8, 2));
        }
        assertThat(new WalReader(files, WAL_DIR, options).snapshotMarkers())
            .containsExactly(WalSnapshot.ZERO, WalSnapshot.of(4, 1), WalSnapshot.of(8, 2));
    }

    @Test
    void everySaveSyncsExactlyOnceAndAnEmptySaveNever() {
        try (SegmentedWal wal = create()) {
            int before = files.forceCount();
            int directorySyncs = files.directorySyncCount();
            for (int i = 1; i <= 50; i++) {
                wal.save(hardState(1, 1, i - 1), List.of(entry(i, 1)));
                assertThat(files.forceCount()).as("after save %d", i).isEqualTo(before + i);
            }
            wal.save(null, List.of());
            wal.save(new byte[0], List.of());
            assertThat(files.forceCount()).isEqualTo(before + 50);
            assertThat(files.directorySyncCount()).as("no cut, no directory sync").isEqualTo(directorySyncs);
        }
    }

    @Test
    void anUnsyncedSaveIsWrittenWithoutASyncAndBecomesDurableWithTheNextSyncedSave() {
        SegmentedWal wal = create();
        wal.save(hardState(1, 1, 0), entries(1, 2, 1));
        int forces = files.forceCount();
        wal.save(hardState(1, 1, 2), List.of(), false);
        assertThat(files.forceCount()).as("no sync for a commit-only state").isEqualTo(forces);
        files.crash();
        assertThat(reopen(WalSnapshot.ZERO).hardState()).as("lost with the crash: it was never synced")
            .isEqualTo(hardState(1, 1, 0));

        wal = open(WalSnapshot.ZERO).wal();
        forces = files.forceCount();
        wal.save(hardState(1, 1, 2), List.of(), false);
        wal.save(null, entries(3, 3, 1));
        assertThat(files.forceCount()).isEqualTo(forces + 1);
        files.crash();
        WalContents contents = reopen(WalSnapshot.ZERO);
        assertThat(contents.hardState()).as("synced with the next save").isEqualTo(hardState(1, 1, 2));
        assertThat(contents.entries()).isEqualTo(entries(1, 3, 1));
    }

    @Test
    void closeSyncsWhatAnUnsyncedSaveLeft() {
        try (SegmentedWal wal = create()) {
            wal.save(hardState(1, 1, 0), entries(1, 2, 1));
            wal.save(hardState(1, 1, 2), List.of(), false);
        }
        files.crash();
        assertThat(reopen(WalSnapshot.ZERO).hardState()).isEqualTo(hardState(1, 1, 2));
    }

    @Test
    void aCutAfterAnUnsyncedSaveSyncsTheOldTailFirstSoTheChainSurvivesACrash() {
        byte[] payload = new byte[1000];
        WalOptions small = Fixtures.smallSegments(8 * 1024);
        SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, small, METADATA);
        String first = wal.tailSegment().fileName();
        int index = 0;
        while (wal.tailSegment().fileName().equals(first)) {
            index++;
            wal.save(null, List.of(entry(index, 1, payload)));
            wal.save(hardState(1, 1, index), List.of(), false);
        }
        files.crash();
        WalContents contents = SegmentedWal.open(Fixtures.context(files), WAL_DIR, small, WalSnapshot.ZERO)
            .contents();
        assertThat(contents.entries()).hasSize(index);
        assertThat(contents.hardState()).as("the unsynced state before the cut was synced by it")
            .isEqualTo(hardState(1, 1, index - 1));
    }

    @Test
    void segmentsAreCutBeforeTheyOverflowAndEveryCutSyncsOnceMoreForTheDirectoryOnly() {
        byte[] payload = new byte[1000];
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR,
            Fixtures.smallSegments(8 * 1024), METADATA)) {
            for (int i = 1; i <= 40; i++) {
                int forces = files.forceCount();
                int directorySyncs = files.directorySyncCount();
                String tail = wal.tailSegment().fileName();
                wal.save(hardState(1, 1, i), List.of(entry(i, 1, payload)));
                boolean cut = !wal.tailSegment().fileName().equals(tail);
                assertThat(files.forceCount()).as("save %d (and, at a cut, the next segment's preparation, inline"
                    + " with the direct executor)", i).isEqualTo(forces + 1 + (cut ? 1 : 0));
                assertThat(files.directorySyncCount()).as("save %d", i).isEqualTo(directorySyncs + (cut ? 1 : 0));
                if (cut) {
                    assertThat(wal.tailSegment().firstIndex()).isEqualTo(i);
                }
            }
        }
        List<SegmentName> segments = SegmentName.among(files.list(WAL_DIR));
        assertThat(segments.size()).isGreaterThan(5);
        for (int i = 0; i < segments.size(); i++) {
            assertThat(segments.get(i).sequence()).isEqualTo(i);
        }
        WalContents contents = SegmentedWal.open(Fixtures.context(files), WAL_DIR, Fixtures.smallSegments(8 * 1024),
            WalSnapshot.ZERO).contents();
        assertThat(contents.entries()).hasSize(40);
        assertThat(contents.hardState()).isEqualTo(hardState(1, 1, 40));
    }

    @Test
    void aCrcRecordStartsEverySegmentAndContinuesTheChain() throws Exception {
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR,
            Fixtures.smallSegments(4096), METADATA)) {
            for (int i = 1; i <= 30; i++) {
                wal.save(hardState(1, 1, i), List.of(entry(i, 1, new byte[300])));
            }
        }
        List<WalReader.RawRecord> records = new ArrayList<>();
        new WalReader(files, WAL_DIR, options).scanAll(ReadMode.STRICT, records::add);
        int running = 0;
        String segment = "";
        for (WalReader.RawRecord r : records) {
            if (!r.segment().equals(segment)) {
                assertThat(r.type()).isEqualTo(RecordType.CRC.code());
                assertThat(r.offset()).isZero();
                segment = r.segment();
            }
            if (r.type() == RecordType.CRC.code()) {
                assertThat(r.crc()).as("crc record of %s", r.segment()).isEqualTo(running);
            } else {
                running = Crc32c.update(running, r.data());
                assertThat(r.crc()).isEqualTo(running);
            }
        }
    }

    static Stream<Arguments> releases() {
        // 40 saves of ~550 bytes in 4 KiB segments: ~7 entries per segment, the second starts at index 8.
        return Stream.of(
            Arguments.of(0L, 2, (IntUnaryOperator) n -> n),
            Arguments.of(1_000L, 0, (IntUnaryOperator) n -> n),
            Arguments.of(1_000L, 2, (IntUnaryOperator) n -> 2),
            Arguments.of(1_000L, 1, (IntUnaryOperator) n -> 1),
            Arguments.of(10L, 1, (IntUnaryOperator) n -> n - 1));
    }

    @ParameterizedTest(name = "releaseTo({0}) with maxWalFiles {1}")
    @MethodSource("releases")
    void releaseDeletesOldSegmentsBeyondMaxWalFilesButNeverTheNeededOnes(long index, int maxWalFiles,
                                                                         IntUnaryOperator remaining) {
        WalOptions small = Fixtures.smallSegments(4096).withMaxWalFiles(maxWalFiles);
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, small, METADATA)) {
            for (int i = 1; i <= 40; i++) {
                wal.save(hardState(1, 1, i), List.of(entry(i, 1, new byte[500])));
            }
            List<SegmentName> before = SegmentName.among(files.list(WAL_DIR));
            assertThat(before).hasSizeGreaterThan(4);
            assertThat(before.get(1).firstIndex()).isEqualTo(8);
            int syncs = files.directorySyncCount();
            int deleted = wal.releaseTo(index);
            List<SegmentName> after = SegmentName.among(files.list(WAL_DIR));
            assertThat(after).hasSize(remaining.applyAsInt(before.size()));
            assertThat(after).isEqualTo(before.subList(deleted, before.size()));
            assertThat(files.directorySyncCount()).isEqualTo(syncs + (deleted > 0 ? 1 : 0));
        }
    }

    @Test
    void releaseDeletesOnTheContextsExecutorNotTheSavingThread() {
        WalOptions small = Fixtures.smallSegments(4096).withMaxWalFiles(1).withPreallocate(false);
        java.util.ArrayDeque<Runnable> queued = new java.util.ArrayDeque<>();
        WalContext queuing = new WalContext(files, Fixtures.context(files).clock(), WalObserver.NONE, queued::add);
        try (SegmentedWal wal = SegmentedWal.create(queuing, WAL_DIR, small, METADATA)) {
            for (int i = 1; i <= 40; i++) {
                wal.save(hardState(1, 1, i), List.of(entry(i, 1, new byte[500])));
            }
            wal.saveSnapshot(WalSnapshot.of(38, 1));
            int before = SegmentName.among(files.list(WAL_DIR)).size();
            int released = wal.releaseTo(38);
            assertThat(released).isPositive();
            assertThat(SegmentName.among(files.list(WAL_DIR))).as("nothing deleted yet").hasSize(before);
            queued.forEach(Runnable::run);
            assertThat(SegmentName.among(files.list(WAL_DIR))).hasSize(before - released);
        }
    }

    @Test
    void releasedSegmentsAreNotNeededToOpenFromTheSnapshot() {
        WalOptions small = Fixtures.smallSegments(4096).withMaxWalFiles(1);
        assertThat(new WalReader(files, WAL_DIR, small).metadata()).as("no WAL yet").isEmpty();
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR, small, METADATA)) {
            assertThat(new WalReader(files, WAL_DIR, small).metadata()).as("first segment").contains(METADATA);
            for (int i = 1; i <= 40; i++) {
                wal.save(hardState(1, 1, i), List.of(entry(i, 1, new byte[500])));
            }
            wal.saveSnapshot(WalSnapshot.of(38, 1));
            assertThat(wal.releaseTo(38)).isPositive();
            wal.save(null, entries(41, 42, 1));
        }
        assertThat(SegmentName.among(files.list(WAL_DIR)).get(0).sequence()).isPositive();
        assertThat(new WalReader(files, WAL_DIR, small).metadata()).as("a later segment's header").contains(METADATA);
        WalContents contents = SegmentedWal.open(Fixtures.context(files), WAL_DIR, small, WalSnapshot.of(38, 1))
            .contents();
        assertThat(contents.entries()).extracting(WalEntry::index).containsExactly(39L, 40L, 41L, 42L);
    }

    @Test
    void twoWritersCanNeverShareAWal() {
        try (SegmentedWal wal = create()) {
            assertThatThrownBy(() -> open(WalSnapshot.ZERO)).isInstanceOf(WalLockedException.class);
            assertThatThrownBy(() -> create().close()).isInstanceOf(WalLockedException.class);
            wal.save(null, entries(1, 1, 1));
            WalContents readOnly = new WalReader(files, WAL_DIR, options).readAll(WalSnapshot.ZERO, ReadMode.REPORT);
            assertThat(readOnly.entries()).hasSize(1);
        }
        open(WalSnapshot.ZERO).wal().close();
    }

    @Test
    void createRefusesADirectoryWithAWal() {
        create().close();
        assertThatThrownBy(this::create).isInstanceOf(WalStateException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> SegmentedWal.open(Fixtures.context(files), Fixtures.WAL_DIR.resolve("nope"),
            options, WalSnapshot.ZERO)).isInstanceOf(WalStateException.class).hasMessageContaining("no segment");
    }

    @Test
    void malformedBatchesAreRefusedBeforeAnythingIsWritten() {
        try (SegmentedWal wal = create()) {
            wal.save(null, entries(1, 2, 1));
            int forces = files.forceCount();
            assertThatThrownBy(() -> wal.save(null, List.of(entry(4, 1)))).hasMessageContaining("gap");
            assertThatThrownBy(() -> wal.save(null, List.of(entry(3, 1), entry(5, 1))))
                .hasMessageContaining("index 4 was expected");
            WalEntry lying = new WalEntry(3, 1, Fixtures.entryBytes(3, 2, null));
            assertThatThrownBy(() -> wal.save(null, List.of(lying))).hasMessageContaining("bytes of (index 3, term 2)");
            assertThatThrownBy(() -> wal.save(null, List.of(entry(3, 1, new byte[options.maxRecordBytes()]))))
                .hasMessageContaining("maxRecordBytes");
            assertThat(files.forceCount()).isEqualTo(forces);
            wal.save(null, entries(3, 3, 1));
        }
        assertThat(reopen(WalSnapshot.ZERO).entries()).isEqualTo(entries(1, 3, 1));
    }

    @Test
    void aFailedSyncMakesTheWalUnusable() {
        SegmentedWal wal = create();
        wal.save(null, entries(1, 1, 1));
        files.failForces(true);
        assertThatThrownBy(() -> wal.save(null, entries(2, 2, 1))).isInstanceOf(WalIoException.class);
        files.failForces(false);
        assertThatThrownBy(() -> wal.save(null, entries(2, 2, 1))).isInstanceOf(WalStateException.class)
            .hasMessageContaining("unusable");
        wal.close();
        assertThatThrownBy(() -> wal.save(null, entries(2, 2, 1))).hasMessageContaining("closed");
        wal.close();
    }

    @Test
    void syncDurationsReachTheObserver() {
        List<Long> syncs = new ArrayList<>();
        long[] written = {0};
        WalObserver observer = new WalObserver() {
            @Override
            public void synced(long nanos) {
                syncs.add(nanos);
            }

            @Override
            public void written(long bytes) {
                written[0] += bytes;
            }
        };
        WalContext context = new WalContext(files, Fixtures.steppingClock(2_000_000_000L), observer);
        try (SegmentedWal wal = SegmentedWal.create(context, WAL_DIR, options, METADATA)) {
            syncs.clear();
            written[0] = 0;
            wal.save(hardState(1, 1, 0), entries(1, 2, 1));
        }
        assertThat(syncs).containsExactly(2_000_000_000L);
        assertThat(written[0]).isPositive().isEqualTo(written[0] / 8 * 8);
    }

    @Test
    void everySegmentIsZeroFilledAndSyncedOnTheExecutorBeforeItsFirstRecord() throws Exception {
        long segment = 16 * 1024;
        List<Runnable> tasks = new ArrayList<>();
        WalContext deferred = new WalContext(files, Fixtures.steppingClock(1000), WalObserver.NONE, tasks::add);
        Path prepared = WAL_DIR.resolve(SegmentPipeline.PREPARED_FILE);
        long index = 1;
        try (SegmentedWal wal = SegmentedWal.create(deferred, WAL_DIR, Fixtures.smallSegments(segment), METADATA)) {
            for (int segments = 1; segments <= 3; segments++) {
                Path tail = WAL_DIR.resolve(wal.tailSegment().fileName());
                assertThat(files.bytes(tail)).as("segment %d", segments).hasSize((int) segment);
                assertThat(tasks).as("the next segment's preparation waits for the executor").hasSize(1);
                assertThat(files.exists(prepared)).isFalse();
                int forces = files.forceCount();
                tasks.remove(0).run();
                assertThat(files.bytes(prepared)).hasSize((int) segment).containsOnly(0);
                assertThat(files.forceCount()).as("zeros synced by the preparation").isEqualTo(forces + 1);
                boolean cut = false;
                while (!cut) {
                    forces = files.forceCount();
                    wal.save(hardState(1, 1, index), List.of(entry(index, 1, new byte[1000])));
                    cut = !wal.tailSegment().fileName().equals(tail.getFileName().toString());
                    assertThat(files.forceCount()).as("save %d: its own sync only", index).isEqualTo(forces + 1);
                    assertThat((long) files.bytes(tail).length).as("save %d", index)
                        .isEqualTo(cut ? recordsEnd(files.bytes(tail)) : segment);
                    assertThat(tasks).as("save %d", index).hasSize(cut ? 1 : 0);
                    index++;
                }
            }
            tasks.remove(0).run();
        }
        assertThat(files.list(WAL_DIR)).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void withoutPreallocationTheTailEndsWithItsLastRecord() throws Exception {
        Path tail = WAL_DIR.resolve("0000000000000000-0000000000000000.wal");
        try (SegmentedWal wal = SegmentedWal.create(Fixtures.context(files), WAL_DIR,
            Fixtures.smallSegments(16L << 20).withPreallocate(false), METADATA)) {
            wal.save(null, entries(1, 1, 1));
            assertThat(files.bytes(tail).length).isEqualTo(recordsEnd(files.bytes(tail)));
        }
        assertThat(files.list(WAL_DIR)).containsExactly(tail.getFileName().toString(), SegmentedWal.LOCK_FILE);
    }

    /** The end of the last non-zero 8-byte word: where the records end. */
    private static long recordsEnd(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return RecordEncoder.align8(end);
    }

    @Test
    void leftoverTemporarySegmentsFromAnInterruptedCutAreDeleted() {
        create().close();
        files.putDurably(WAL_DIR.resolve("0000000000000001-0000000000000005.wal.tmp"), new byte[100]);
        reopen(WalSnapshot.ZERO);
        assertThat(files.list(WAL_DIR)).noneMatch(n -> n.endsWith(".tmp"));
    }
}
