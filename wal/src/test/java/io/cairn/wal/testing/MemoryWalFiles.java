package io.cairn.wal.testing;

import io.cairn.wal.SegmentChannel;
import io.cairn.wal.WalFiles;
import io.cairn.wal.WalLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link WalFiles} in memory with a crash model: bytes survive {@link #crash()} only when their file was forced,
 * and a create, rename or delete only when its directory was synced (the contract of {@link WalFiles}). Counts
 * forces and directory syncs, can fail forces, and can keep a prefix of unsynced bytes of one file on a crash
 * (a torn write). Files are inodes, so a channel stays valid across renames, as on POSIX. Not thread-safe.
 */
public final class MemoryWalFiles implements WalFiles {

    /** File contents as the page cache sees them, and as the disk holds them after the last force. */
    private static final class Inode {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];
        int durableSize;

        void force() {
            durable = Arrays.copyOf(data, size);
            durableSize = size;
        }

        void revert() {
            data = Arrays.copyOf(durable, durableSize);
            size = durableSize;
        }
    }

    private final Map<Path, Inode> files = new HashMap<>();
    private final Map<Path, Inode> durableFiles = new HashMap<>();
    private final Set<Path> dirs = new HashSet<>();
    private final Set<Path> locks = new HashSet<>();
    private int generation;
    private int forces;
    private int directorySyncs;
    private boolean failForces;
    private int forcesBeforeFailure = -1;

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    @Override
    public List<String> list(Path dir) {
        Path d = key(dir);
        Set<String> names = new HashSet<>();
        for (Path p : files.keySet()) {
            if (d.equals(p.getParent())) {
                names.add(p.getFileName().toString());
            }
        }
        for (Path p : dirs) {
            if (d.equals(p.getParent())) {
                names.add(p.getFileName().toString());
            }
        }
        return names.stream().sorted().toList();
    }

    @Override
    public void createDirectories(Path dir) {
        for (Path p = key(dir); p != null; p = p.getParent()) {
            dirs.add(p);
        }
    }

    @Override
    public boolean exists(Path file) {
        return files.containsKey(key(file)) || dirs.contains(key(file));
    }

    @Override
    public SegmentChannel create(Path file) throws IOException {
        Path k = key(file);
        if (!dirs.contains(k.getParent())) {
            throw new NoSuchFileException(k.getParent().toString());
        }
        if (files.containsKey(k)) {
            throw new FileAlreadyExistsException(k.toString());
        }
        Inode inode = new Inode();
        files.put(k, inode);
        return new Channel(inode, true, generation);
    }

    @Override
    public SegmentChannel open(Path file, boolean writable) throws IOException {
        return new Channel(inode(file), writable, generation);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Inode inode = inode(from);
        files.remove(key(from));
        files.put(key(to), inode);
    }

    @Override
    public void delete(Path file) {
        files.remove(key(file));
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        Path d = key(dir);
        if (!dirs.contains(d)) {
            throw new NoSuchFileException(d.toString());
        }
        durableFiles.keySet().removeIf(p -> d.equals(p.getParent()));
        files.forEach((p, inode) -> {
            if (d.equals(p.getParent())) {
                durableFiles.put(p, inode);
            }
        });
        directorySyncs++;
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        Path k = key(lockFile);
        if (!locks.add(k)) {
            throw new WalLockedException(lockFile);
        }
        if (!files.containsKey(k)) {
            create(k).close();
        }
        int lockGeneration = generation;
        return () -> {
            if (generation == lockGeneration) {
                locks.remove(k);
            }
        };
    }

    /**
     * Simulates a power failure: every file reverts to its last forced contents, the namespace to its last
     * directory syncs; open channels and locks are gone.
     */
    public void crash() {
        Set<Inode> survivors = new HashSet<>(durableFiles.values());
        files.clear();
        files.putAll(durableFiles);
        survivors.forEach(Inode::revert);
        locks.clear();
        generation++;
    }

    /**
     * Like {@link #crash()}, but the unsynced bytes of {@code file} below {@code keepBelow} reached the disk (a
     * write torn at that byte).
     */
    public void crashTearing(Path file, long keepBelow) throws IOException {
        Inode inode = inode(file);
        int kept = (int) Math.min(inode.size, keepBelow);
        int size = Math.max(inode.durableSize, kept);
        byte[] torn = Arrays.copyOf(inode.durable, size);
        System.arraycopy(inode.data, 0, torn, 0, kept);
        inode.durable = torn;
        inode.durableSize = size;
        crash();
    }

    /** The current (page cache) contents of {@code file}. */
    public byte[] bytes(Path file) throws IOException {
        Inode inode = inode(file);
        return Arrays.copyOf(inode.data, inode.size);
    }

    /** Replaces {@code file} with {@code bytes}, durably (contents and directory entry). */
    public void putDurably(Path file, byte[] bytes) {
        createDirectories(key(file).getParent());
        Inode inode = files.computeIfAbsent(key(file), k -> new Inode());
        inode.data = bytes.clone();
        inode.size = bytes.length;
        inode.force();
        durableFiles.put(key(file), inode);
    }

    /** A copy of every file (contents as they are now) and directory, durable, in a fresh instance. */
    public MemoryWalFiles copy() {
        MemoryWalFiles copy = new MemoryWalFiles();
        copy.dirs.addAll(dirs);
        files.forEach((p, inode) -> copy.putDurably(p, Arrays.copyOf(inode.data, inode.size)));
        return copy;
    }

    /** Forces of file channels so far (fdatasync calls). */
    public int forceCount() {
        return forces;
    }

    public int directorySyncCount() {
        return directorySyncs;
    }

    /** Makes every following force fail with an IOException (as a failing disk would). */
    public void failForces(boolean fail) {
        failForces = fail;
        forcesBeforeFailure = -1;
    }

    /** Lets {@code okForces} more forces succeed, then fails every later one. */
    public void failForcesAfter(int okForces) {
        failForces = false;
        forcesBeforeFailure = okForces;
    }

    private Inode inode(Path file) throws NoSuchFileException {
        Inode inode = files.get(key(file));
        if (inode == null) {
            throw new NoSuchFileException(key(file).toString());
        }
        return inode;
    }

    private final class Channel implements SegmentChannel {
        private final Inode inode;
        private final boolean writable;
        private final int channelGeneration;
        private boolean closed;

        Channel(Inode inode, boolean writable, int channelGeneration) {
            this.inode = inode;
            this.writable = writable;
            this.channelGeneration = channelGeneration;
        }

        private void check(boolean write) throws IOException {
            if (closed || channelGeneration != generation) {
                throw new IOException("channel closed (or lost in a simulated crash)");
            }
            if (write && !writable) {
                throw new IOException("channel is read-only");
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            check(false);
            if (position >= inode.size) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), inode.size - position);
            dst.put(inode.data, (int) position, n);
            return n;
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            check(true);
            int n = src.remaining();
            long end = position + n;
            if (end > Integer.MAX_VALUE - 8) {
                throw new IOException("file too large for memory");
            }
            if (end > inode.data.length) {
                inode.data = Arrays.copyOf(inode.data, (int) Math.max(end, 2L * inode.data.length));
            }
            src.get(inode.data, (int) position, n);
            inode.size = (int) Math.max(inode.size, end);
        }

        @Override
        public void force() throws IOException {
            check(false);
            if (forcesBeforeFailure == 0) {
                failForces = true;
            } else if (forcesBeforeFailure > 0) {
                forcesBeforeFailure--;
            }
            if (failForces) {
                throw new IOException("simulated fdatasync failure");
            }
            inode.force();
            forces++;
        }

        @Override
        public void truncate(long size) throws IOException {
            check(true);
            if (size < inode.size) {
                Arrays.fill(inode.data, (int) size, inode.size, (byte) 0);
                inode.size = (int) size;
            }
        }

        @Override
        public long size() throws IOException {
            check(false);
            return inode.size;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
