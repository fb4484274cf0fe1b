package io.cairn.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file layer under the WAL and the snapshot files: the only way they touch a disk. {@link DiskWalFiles} is the
 * real one; the test fixtures hold an in-memory one that loses unsynced bytes and directory entries on a simulated
 * crash and counts syncs. Durability contract, which both honour: written bytes survive a crash only after
 * {@link SegmentChannel#force()}; a create, rename or delete survives only after {@link #syncDirectory} of its
 * directory.
 */
public interface WalFiles {
    /** Names of the entries of {@code dir}, sorted; empty when the directory does not exist. */
    List<String> list(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    boolean exists(Path file) throws IOException;

    /** Creates an empty file, open for reading and writing; fails when it exists. */
    SegmentChannel create(Path file) throws IOException;

    /** Opens an existing file, for reading only unless {@code writable}. */
    SegmentChannel open(Path file, boolean writable) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing {@code to}; open channels stay valid. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes the file when it exists. */
    void delete(Path file) throws IOException;

    /** Makes creates, renames and deletes in {@code dir} durable (fsync of the directory). */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} (created when missing) until the returned handle is closed.
     *
     * @throws WalLockedException when another process or another lock of this process holds it
     */
    Closeable lock(Path lockFile) throws IOException;
}
