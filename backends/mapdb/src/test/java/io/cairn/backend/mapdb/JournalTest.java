package io.cairn.backend.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path tmp;

    @Test
    void completeRecordsAreReplayedInOrderAndATornTailIsIgnored() throws IOException {
        Path store = tmp.resolve("store");
        Files.write(store, new byte[64]);
        Path file = tmp.resolve("journal");
        try (Journal j = Journal.open(file, false)) {
            j.append(List.of(new Journal.Write(0, new byte[] {1, 2, 3, 4}, 4), new Journal.Write(10, null, 6)));
            j.append(List.of(new Journal.Write(2, new byte[] {9, 9}, 2), new Journal.Write(70, new byte[] {7}, 1)));
            j.append(List.of(new Journal.Write(20, new byte[] {5, 5, 5}, 3)));
        }
        byte[] full = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(full, full.length - 2));
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 1);
        Files.write(store, ones);

        assertThat(Journal.recover(file, store)).isEqualTo(2);

        byte[] after = Files.readAllBytes(store);
        assertThat(after).hasSize(71);
        assertThat(Arrays.copyOfRange(after, 0, 4)).containsExactly(1, 2, 9, 9);
        assertThat(Arrays.copyOfRange(after, 10, 16)).containsOnly(0);
        assertThat(after[20]).as("torn third record not applied").isEqualTo((byte) 1);
        assertThat(after[70]).isEqualTo((byte) 7);
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aFlippedByteStopsReplayAtThatRecord() throws IOException {
        Path store = tmp.resolve("store");
        Files.write(store, new byte[16]);
        Path file = tmp.resolve("journal");
        try (Journal j = Journal.open(file, true)) {
            j.append(List.of(new Journal.Write(0, new byte[] {1}, 1)));
            j.append(List.of(new Journal.Write(1, new byte[] {2}, 1)));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 0x40;
        Files.write(file, bytes);

        assertThat(Journal.recover(file, store)).isEqualTo(1);
        assertThat(Files.readAllBytes(store)).startsWith(1, 0);
    }
}
