package io.cairn.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.wal.testing.MemoryWalFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SnapshotterTest {
    private static final Path SNAP_DIR = Path.of("/member/snap");
    private static final byte[] CONF_STATE = {0x08, 0x01, 0x28, 0x00};

    private final MemoryWalFiles files = new MemoryWalFiles();
    private final WalOptions options = WalOptions.defaults().withMaxSnapshotFiles(2);
    private final Snapshotter snapshotter = Snapshotter.writable(files, SNAP_DIR, options);

    private static SnapshotFile snapshot(long term, long index) {
        return new SnapshotFile(term, index, CONF_STATE, ("data@" + index).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void savesEtcdsEnvelopeAroundARaftSnapshot() throws IOException {
        snapshotter.save(new SnapshotFile(2, 10, CONF_STATE, new byte[0]));
        byte[] file = files.bytes(SNAP_DIR.resolve("0000000000000002-000000000000000a.snap"));
        // raftpb.Snapshot{metadata: {conf_state: {voters: 1, auto_leave: false}, index: 10, term: 2}}, no data.
        byte[] body = HexFormat.of().parseHex("120a" + "0a0408012800" + "100a" + "1802");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0x08);
        for (long crc = Integer.toUnsignedLong(Crc32c.update(0, body)); ; crc >>>= 7) {
            if (crc < 0x80) {
                expected.write((int) crc);
                break;
            }
            expected.write((int) (crc & 0x7F) | 0x80);
        }
        expected.write(0x12);
        expected.write(body.length);
        expected.write(body);
        assertThat(file).isEqualTo(expected.toByteArray());
        assertThat(snapshotter.loadNewest()).contains(new SnapshotFile(2, 10, CONF_STATE, new byte[0]));
    }

    @Test
    void loadsTheNewestAndSkipsABrokenOneLikeEtcd() throws IOException {
        snapshotter.save(snapshot(1, 5));
        snapshotter.save(snapshot(2, 9));
        snapshotter.save(snapshot(2, 12));
        Path newest = SNAP_DIR.resolve(snapshot(2, 12).fileName());
        byte[] bytes = files.bytes(newest);
        bytes[bytes.length - 1] ^= 1;
        files.putDurably(newest, bytes);

        Snapshotter readOnly = Snapshotter.readOnly(files, SNAP_DIR, options);
        assertThat(readOnly.loadNewest()).contains(snapshot(2, 9));
        assertThat(files.exists(newest)).as("read-only never renames").isTrue();
        assertThatThrownBy(() -> readOnly.read(newest.getFileName().toString()))
            .isInstanceOf(WalCorruptionException.class).hasMessageContaining("crc mismatch");
        assertThatThrownBy(() -> readOnly.save(snapshot(3, 20))).isInstanceOf(WalStateException.class);

        assertThat(snapshotter.loadNewest()).contains(snapshot(2, 9));
        assertThat(files.exists(newest)).isFalse();
        assertThat(files.exists(SNAP_DIR.resolve(newest.getFileName() + ".broken"))).isTrue();
        assertThat(snapshotter.loadNewest(s -> s.index() < 9)).contains(snapshot(1, 5));
    }

    @Test
    void emptyAndTruncatedFilesAreBroken() throws IOException {
        files.putDurably(SNAP_DIR.resolve("0000000000000001-0000000000000001.snap"), new byte[0]);
        files.putDurably(SNAP_DIR.resolve("0000000000000001-0000000000000002.snap"), new byte[] {0x08, 0x01, 0x12});
        assertThat(Snapshotter.readOnly(files, SNAP_DIR, options).loadNewest()).isEmpty();
    }

    @Test
    void aSnapshotIsDurableOnlyOnceSaveReturns() {
        snapshotter.save(snapshot(1, 5));
        files.failForces(true);
        assertThatThrownBy(() -> snapshotter.save(snapshot(1, 8))).isInstanceOf(WalIoException.class);
        files.failForces(false);
        files.putDurably(SNAP_DIR.resolve(snapshot(1, 8).fileName() + ".tmp"), new byte[10]);
        files.crash();
        assertThat(snapshotter.snapshotNames()).containsExactly(snapshot(1, 5).fileName());
        Snapshotter.writable(files, SNAP_DIR, options);
        assertThat(files.list(SNAP_DIR)).containsExactly(snapshot(1, 5).fileName());
        assertThat(snapshotter.loadNewest()).contains(snapshot(1, 5));
        assertThatThrownBy(() -> snapshotter.save(snapshot(0, 0))).hasMessageContaining("empty snapshot");
    }

    @Test
    void purgeKeepsMaxSnapshotFiles() {
        for (long index = 1; index <= 5; index++) {
            snapshotter.save(snapshot(1, index));
        }
        assertThat(snapshotter.purge()).isEqualTo(3);
        assertThat(snapshotter.snapshotNames()).containsExactly(snapshot(1, 5).fileName(), snapshot(1, 4).fileName());
    }

    @Test
    void backendImagesAreStreamedDurablyAndReleasedBeforeASnapshot() throws IOException {
        byte[] image = new byte[3 * 1024 * 1024 + 17];
        image[12345] = 7;
        assertThat(snapshotter.saveDb(new ByteArrayInputStream(image), 0x10)).isEqualTo(image.length);
        assertThat(snapshotter.saveDb(new ByteArrayInputStream(new byte[5]), 0x10)).as("kept").isZero();
        snapshotter.saveDb(new ByteArrayInputStream(new byte[5]), 0x20);
        files.crash();
        assertThat(snapshotter.dbPath(0x10)).contains(SNAP_DIR.resolve("0000000000000010.snap.db"));
        assertThat(files.bytes(SNAP_DIR.resolve("0000000000000010.snap.db"))).isEqualTo(image);
        assertThat(snapshotter.dbIndexes()).containsExactlyInAnyOrder(0x10L, 0x20L);
        assertThat(snapshotter.releaseDbsBefore(0x20)).isEqualTo(1);
        assertThat(snapshotter.dbIndexes()).containsExactly(0x20L);
        assertThat(snapshotter.dbPath(0x10)).isEmpty();
        assertThat(snapshotter.dbPath(0x20)).isPresent();
    }
}
