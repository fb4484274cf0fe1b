package io.cairn.wal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.wal.pb.RaftSnapshot;
import io.cairn.wal.pb.RaftSnapshotMetadata;
import io.cairn.wal.pb.SnapshotEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The snapshot directory ({@code <data-dir>/member/snap}), etcd's layout: {@code %016x-%016x.snap} files (term,
 * index) holding a snappb envelope {@code {crc, raftpb.Snapshot}}, and backend images {@code %016x.snap.db}.
 * Every file is written to a temporary name, synced, renamed and the directory synced. A read-only snapshotter
 * (dump-logs) never renames, deletes or writes. Not thread-safe.
 */
public final class Snapshotter {
    static final String SNAP_SUFFIX = ".snap";
    static final String DB_SUFFIX = ".snap.db";
    static final String BROKEN_SUFFIX = ".broken";
    private static final int COPY_CHUNK_BYTES = 1 << 20;
    private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());

    private final WalFiles files;
    private final Path dir;
    private final WalOptions options;
    private final boolean readOnly;

    private Snapshotter(WalFiles files, Path dir, WalOptions options, boolean readOnly) {
        this.files = files;
        this.dir = dir;
        this.options = options;
        this.readOnly = readOnly;
    }

    /**
     * A snapshotter that saves, loads and releases; creates {@code dir} when missing and deletes the temporary
     * files an interrupted save left behind.
     */
    public static Snapshotter writable(WalFiles files, Path dir, WalOptions options) {
        try {
            files.createDirectories(dir);
            for (String name : files.list(dir)) {
                if (name.endsWith(SegmentedWal.TMP_SUFFIX)) {
                    LOG.log(System.Logger.Level.INFO, "snap: deleting {0} left by an interrupted save", name);
                    files.delete(dir.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new WalIoException("snap: preparing " + dir, e);
        }
        return new Snapshotter(files, dir, options, false);
    }

    /** A snapshotter that only reads: broken files are skipped, never renamed. */
    public static Snapshotter readOnly(WalFiles files, Path dir, WalOptions options) {
        return new Snapshotter(files, dir, options, true);
    }

    /** Durably writes {@code snapshot} as {@link SnapshotFile#fileName()}; index 0 (no snapshot) is refused. */
    public void save(SnapshotFile snapshot) {
        requireWritable();
        if (snapshot.index() == 0) {
            throw new IllegalArgumentException("snap: an empty snapshot (index 0) is never saved");
        }
        RaftSnapshotMetadata metadata = RaftSnapshotMetadata.newBuilder()
            .setConfState(ByteString.copyFrom(snapshot.confState())).setIndex(snapshot.index())
            .setTerm(snapshot.term()).build();
        RaftSnapshot.Builder raft = RaftSnapshot.newBuilder().setMetadata(metadata);
        if (snapshot.data().length > 0) {
            raft.setData(ByteString.copyFrom(snapshot.data()));
        }
        byte[] body = raft.build().toByteArray();
        byte[] file = SnapshotEnvelope.newBuilder().setCrc(Crc32c.update(0, body)).setData(ByteString.copyFrom(body))
            .build().toByteArray();
        if (file.length > options.maxSnapshotFileBytes()) {
            throw new IllegalArgumentException("snap: snapshot file of " + file.length + " bytes exceeds "
                + options.maxSnapshotFileBytes());
        }
        try {
            writeDurably(snapshot.fileName(), in -> in.write(ByteBuffer.wrap(file), 0));
        } catch (IOException e) {
            throw new WalIoException("snap: saving " + dir.resolve(snapshot.fileName()), e);
        }
    }

    /** The newest readable snapshot; broken ones are skipped with a warning (and renamed when writable). */
    public Optional<SnapshotFile> loadNewest() {
        return loadNewest(s -> true);
    }

    /** The newest readable snapshot that {@code matches} (etcd's LoadNewestAvailable with the WAL's markers). */
    public Optional<SnapshotFile> loadNewest(Predicate<SnapshotFile> matches) {
        for (String name : snapshotNames()) {
            try {
                SnapshotFile snapshot = read(name);
                if (matches.test(snapshot)) {
                    return Optional.of(snapshot);
                }
            } catch (WalCorruptionException | WalIoException e) {
                skipBroken(name, e);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the snapshot file {@code name} of this directory.
     *
     * @throws WalCorruptionException when it is empty, too large, unparsable or fails its CRC
     */
    public SnapshotFile read(String name) {
        Path path = dir.resolve(name);
        byte[] bytes;
        try (SegmentChannel channel = files.open(path, false)) {
            long size = channel.size();
            if (size == 0 || size > options.maxSnapshotFileBytes()) {
                throw WalCorruptionException.malformed(name, 0, "file size " + size + " is 0 or above "
                    + options.maxSnapshotFileBytes());
            }
            bytes = new byte[(int) size];
            ByteBuffer dst = ByteBuffer.wrap(bytes);
            while (dst.hasRemaining() && channel.read(dst, dst.position()) >= 0) {
                continue;
            }
        } catch (IOException e) {
            throw new WalIoException("snap: reading " + path, e);
        }
        return decode(name, bytes);
    }

    private static SnapshotFile decode(String name, byte[] bytes) {
        try {
            SnapshotEnvelope envelope = SnapshotEnvelope.parseFrom(bytes);
            byte[] body = envelope.getData().toByteArray();
            if (body.length == 0 || envelope.getCrc() == 0) {
                throw WalCorruptionException.malformed(name, 0, "empty snapshot");
            }
            int computed = Crc32c.update(0, body);
            if (computed != envelope.getCrc()) {
                throw WalCorruptionException.crcMismatch(name, 0, envelope.getCrc(), computed);
            }
            RaftSnapshot raft = RaftSnapshot.parseFrom(body);
            RaftSnapshotMetadata m = raft.getMetadata();
            return new SnapshotFile(m.getTerm(), m.getIndex(), m.getConfState().toByteArray(),
                raft.getData().toByteArray());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw WalCorruptionException.malformed(name, 0, "unparsable snapshot: " + e.getMessage());
        }
    }

    /** {@code .snap} file names, newest (largest term, then index) first. */
    public List<String> snapshotNames() {
        try {
            List<String> names = new ArrayList<>();
            for (String name : files.list(dir)) {
                if (name.endsWith(SNAP_SUFFIX)) {
                    names.add(name);
                }
            }
            names.sort(Comparator.reverseOrder());
            return names;
        } catch (IOException e) {
            throw new WalIoException("snap: listing " + dir, e);
        }
    }

    /**
     * Durably stores a backend image for snapshot {@code index} as {@code %016x.snap.db}, streaming {@code image};
     * returns the bytes written. An existing image for the index is kept (etcd's SaveDBFrom).
     */
    public long saveDb(InputStream image, long index) {
        requireWritable();
        String name = dbFileName(index);
        long[] written = {0};
        try {
            if (files.exists(dir.resolve(name))) {
                syncDirectory();
                return 0;
            }
            writeDurably(name, channel -> written[0] = copy(image, channel));
            return written[0];
        } catch (IOException e) {
            throw new WalIoException("snap: saving " + dir.resolve(name), e);
        }
    }

    /** The backend image of snapshot {@code index}, when it exists. */
    public Optional<Path> dbPath(long index) {
        Path path = dir.resolve(dbFileName(index));
        try {
            return files.exists(path) ? Optional.of(path) : Optional.empty();
        } catch (IOException e) {
            throw new WalIoException("snap: looking for " + path, e);
        }
    }

    /** Deletes the oldest {@code .snap} files beyond {@code maxSnapshotFiles}; returns how many. */
    public int purge() {
        requireWritable();
        List<String> names = snapshotNames();
        int keep = options.maxSnapshotFiles();
        if (keep == 0 || names.size() <= keep) {
            return 0;
        }
        List<String> oldest = names.subList(keep, names.size());
        deleteAll(oldest);
        return oldest.size();
    }

    /** Deletes backend images of snapshots older than {@code index} (etcd's ReleaseSnapDBs); returns how many. */
    public int releaseDbsBefore(long index) {
        requireWritable();
        List<String> old = new ArrayList<>();
        for (long dbIndex : dbIndexes()) {
            if (Long.compareUnsigned(dbIndex, index) < 0) {
                old.add(dbFileName(dbIndex));
            }
        }
        deleteAll(old);
        return old.size();
    }

    /** The snapshot indexes that have a backend image ({@code %016x.snap.db}) in the directory. */
    public List<Long> dbIndexes() {
        try {
            List<Long> out = new ArrayList<>();
            for (String name : files.list(dir)) {
                if (name.endsWith(DB_SUFFIX) && name.length() == 16 + DB_SUFFIX.length()) {
                    out.add(Long.parseUnsignedLong(name.substring(0, 16), 16));
                }
            }
            return out;
        } catch (IOException | NumberFormatException e) {
            throw new WalIoException("snap: listing images in " + dir, e instanceof IOException io ? io
                : new IOException(e));
        }
    }

    static String dbFileName(long index) {
        return String.format("%016x%s", index, DB_SUFFIX);
    }

    private void deleteAll(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        try {
            for (String name : names) {
                files.delete(dir.resolve(name));
            }
            syncDirectory();
        } catch (IOException e) {
            throw new WalIoException("snap: deleting from " + dir, e);
        }
    }

    private void skipBroken(String name, WalException e) {
        LOG.log(System.Logger.Level.WARNING, "snap: skipped unreadable snapshot file " + dir.resolve(name) + ": "
            + e.getMessage());
        if (readOnly) {
            return;
        }
        try {
            files.rename(dir.resolve(name), dir.resolve(name + BROKEN_SUFFIX));
            syncDirectory();
        } catch (IOException renameFailed) {
            LOG.log(System.Logger.Level.WARNING, "snap: failed to rename broken snapshot file " + name + ": "
                + renameFailed.getMessage());
        }
    }

    /** How a file's contents are written into its temporary channel. */
    private interface Writer {
        void write(SegmentChannel channel) throws IOException;
    }

    private void writeDurably(String name, Writer writer) throws IOException {
        Path tmp = dir.resolve(name + SegmentedWal.TMP_SUFFIX);
        files.delete(tmp);
        try (SegmentChannel channel = files.create(tmp)) {
            writer.write(channel);
            channel.force();
        } catch (IOException | RuntimeException e) {
            files.delete(tmp);
            throw e;
        }
        files.rename(tmp, dir.resolve(name));
        syncDirectory();
    }

    private static long copy(InputStream in, SegmentChannel out) throws IOException {
        byte[] chunk = new byte[COPY_CHUNK_BYTES];
        long at = 0;
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            out.write(ByteBuffer.wrap(chunk, 0, n), at);
            at += n;
        }
        return at;
    }

    private void syncDirectory() throws IOException {
        files.syncDirectory(dir);
    }

    private void requireWritable() {
        if (readOnly) {
            throw new WalStateException("snap: " + dir + " was opened read-only");
        }
    }
}
