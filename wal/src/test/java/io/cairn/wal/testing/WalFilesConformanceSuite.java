package io.cairn.wal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.wal.SegmentChannel;
import io.cairn.wal.WalFiles;
import io.cairn.wal.WalLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WalFiles} must do; each implementation runs it through a three-line subclass. Crash
 * behaviour is not part of it: only the in-memory layer can simulate one.
 */
public abstract class WalFilesConformanceSuite {
    private WalFiles files;
    private Path dir;

    /** A fresh file layer. */
    protected abstract WalFiles files();

    /** An existing, empty directory to work in. */
    protected abstract Path root() throws IOException;

    @BeforeEach
    void setUp() throws IOException {
        files = files();
        dir = root().resolve("wal");
        files.createDirectories(dir);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String read(SegmentChannel channel, long position, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        while (dst.hasRemaining() && channel.read(dst, position + dst.position()) >= 0) {
            continue;
        }
        return new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void createWriteReadTruncateAndSize() throws IOException {
        try (SegmentChannel channel = files.create(dir.resolve("a.wal"))) {
            channel.write(ascii("hello world"), 0);
            channel.write(ascii("W"), 6);
            channel.force();
            assertThat(channel.size()).isEqualTo(11);
            assertThat(read(channel, 0, 11)).isEqualTo("hello World");
            channel.write(ascii("!"), 15);
            assertThat(channel.size()).isEqualTo(16);
            assertThat(read(channel, 11, 5)).isEqualTo("\0\0\0\0!");
            channel.truncate(5);
            assertThat(channel.size()).isEqualTo(5);
            assertThat(channel.read(ByteBuffer.allocate(4), 5)).isEqualTo(-1);
        }
        try (SegmentChannel channel = files.open(dir.resolve("a.wal"), false)) {
            assertThat(read(channel, 0, 5)).isEqualTo("hello");
            assertThatThrownBy(() -> channel.write(ascii("x"), 0)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void createRefusesAnExistingFileAndOpenAMissingOne() throws IOException {
        files.create(dir.resolve("a")).close();
        assertThatThrownBy(() -> files.create(dir.resolve("a"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> files.open(dir.resolve("missing"), false)).isInstanceOf(IOException.class);
    }

    @Test
    void listIsSortedAndEmptyForAMissingDirectory() throws IOException {
        for (String name : new String[] {"b", "a", "c"}) {
            files.create(dir.resolve(name)).close();
        }
        assertThat(files.list(dir)).containsExactly("a", "b", "c");
        assertThat(files.list(dir.resolve("nope"))).isEmpty();
        assertThat(files.exists(dir.resolve("a"))).isTrue();
        assertThat(files.exists(dir.resolve("z"))).isFalse();
    }

    @Test
    void renameReplacesTheTargetAndKeepsOpenChannelsValid() throws IOException {
        files.create(dir.resolve("target")).close();
        try (SegmentChannel channel = files.create(dir.resolve("x.tmp"))) {
            channel.write(ascii("abc"), 0);
            files.rename(dir.resolve("x.tmp"), dir.resolve("target"));
            files.syncDirectory(dir);
            channel.write(ascii("d"), 3);
            channel.force();
        }
        assertThat(files.list(dir)).containsExactly("target");
        try (SegmentChannel channel = files.open(dir.resolve("target"), true)) {
            assertThat(read(channel, 0, 4)).isEqualTo("abcd");
        }
        files.delete(dir.resolve("target"));
        files.delete(dir.resolve("target"));
        assertThat(files.list(dir)).isEmpty();
    }

    @Test
    void aLockIsExclusiveUntilClosed() throws IOException {
        Path lockFile = dir.resolve("wal.lock");
        Closeable lock = files.lock(lockFile);
        assertThatThrownBy(() -> files.lock(lockFile)).isInstanceOf(WalLockedException.class);
        lock.close();
        files.lock(lockFile).close();
        assertThat(files.exists(lockFile)).isTrue();
    }
}
