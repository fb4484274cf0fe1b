package io.cairn.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.wal.testing.EtcdWalFixture;
import io.cairn.wal.testing.MemoryWalFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first segment of a real etcd 3.4.23 WAL (server/api's fixture, see its FIXTURES.md): our reader replays it,
 * our encoder writes the same bytes, and our writer appends to it.
 */
class EtcdCompatibilityTest {
    private static final String SEGMENT = "0000000000000000-0000000000000000.wal";
    private static final WalOptions OPTIONS = WalOptions.defaults().withPreallocate(false);

    private final MemoryWalFiles files = new MemoryWalFiles();
    private byte[] fixture;

    @BeforeEach
    void load() throws IOException {
        fixture = EtcdWalFixture.bytes();
        files.putDurably(Fixtures.WAL_DIR.resolve(SEGMENT), fixture);
    }

    @Test
    void theFixtureIsTheSegmentEtcdWrote() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(EtcdWalFixture.bytes());
        assertThat(java.util.HexFormat.of().formatHex(digest)).isEqualTo(EtcdWalFixture.SHA256);
        assertThat(fixture).hasSize(1352);
    }

    @Test
    void replaysEtcdsSegment() {
        WalContents contents = new WalReader(files, Fixtures.WAL_DIR, OPTIONS).readAll(WalSnapshot.ZERO,
            ReadMode.STRICT);
        assertThat(contents.snapshotFound()).isTrue();
        assertThat(contents.entries()).extracting(WalEntry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L,
            9L, 10L, 11L);
        assertThat(contents.entries()).extracting(WalEntry::term).containsExactly(1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L,
            2L, 2L, 2L);
        assertThat(contents.lastIndex()).isEqualTo(11);
        assertThat(contents.metadata()).isNotEmpty();
        assertThat(contents.tornTail()).isEmpty();
        assertThat(contents.problem()).isEmpty();
    }

    @Test
    void reencodingEveryRecordGivesEtcdsBytes() throws IOException {
        List<WalReader.RawRecord> records = new ArrayList<>();
        new WalReader(files, Fixtures.WAL_DIR, OPTIONS).scanAll(ReadMode.STRICT, records::add);
        assertThat(records).hasSize(25);
        RecordEncoder encoder = new RecordEncoder(0, OPTIONS.maxRecordBytes());
        for (WalReader.RawRecord r : records) {
            RecordType type = RecordType.of(r.type()).orElseThrow();
            if (type == RecordType.CRC) {
                encoder.encodeCrc();
            } else {
                encoder.encode(type, r.data());
            }
        }
        Path out = Fixtures.WAL_DIR.resolve("out");
        try (SegmentChannel channel = files.create(out)) {
            encoder.writeTo(channel, 0);
        }
        assertThat(files.bytes(out)).isEqualTo(fixture);
    }

    @Test
    void appendsToEtcdsSegmentAndReadsItBack() {
        SegmentedWal.Opened opened = SegmentedWal.open(Fixtures.context(files), Fixtures.WAL_DIR, OPTIONS,
            WalSnapshot.ZERO);
        try (SegmentedWal wal = opened.wal()) {
            assertThat(wal.lastIndex()).isEqualTo(11);
            wal.save(Fixtures.hardState(2, 5, 12), List.of(Fixtures.entry(12, 2), Fixtures.entry(13, 2)));
        }
        WalContents again = SegmentedWal.open(Fixtures.context(files), Fixtures.WAL_DIR, OPTIONS,
            WalSnapshot.ZERO).contents();
        assertThat(again.entries()).hasSize(13);
        assertThat(again.entries().get(12)).isEqualTo(Fixtures.entry(13, 2));
        assertThat(again.hardState()).isEqualTo(Fixtures.hardState(2, 5, 12));
        assertThat(again.metadata()).isEqualTo(opened.contents().metadata());
    }
}
