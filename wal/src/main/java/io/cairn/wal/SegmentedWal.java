package io.cairn.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The writable WAL of one member (format and rules in the package doc). {@link #create} starts an empty log,
 * {@link #open} replays an existing one after a snapshot marker, repairs a torn tail and positions for appending.
 * {@link #save} appends a batch with one write and one sync. Not thread-safe: one thread (the server's Raft loop)
 * owns it. After an I/O failure in a write path every call throws {@link WalStateException}; close and reopen.
 */
public final class SegmentedWal implements AutoCloseable {
    /** The lock file of a WAL directory, held while a writable WAL is open. */
    public static final String LOCK_FILE = "wal.lock";
    static final String TMP_SUFFIX = ".tmp";
    /** etcd warns about an fdatasync slower than one second. */
    static final long SLOW_SYNC_NANOS = 1_000_000_000L;
    private static final System.Logger LOG = System.getLogger(SegmentedWal.class.getName());

    /** A WAL opened for appending and what it replayed. */
    public record Opened(SegmentedWal wal, WalContents contents) {
    }

    private enum State { OPEN, FAILED, CLOSED }

    private final WalContext context;
    private final Path dir;
    private final WalOptions options;
    private final Closeable lock;
    private final byte[] metadata;
    private final SegmentPipeline pipeline;
    private byte[] hardState;
    private RecordEncoder encoder;
    private SegmentChannel tail;
    private SegmentName tailName;
    private long tailOffset;
    private long lastIndex;
    private State state = State.OPEN;
    /** Records were written after the last sync (an unsynced save). */
    private boolean unsynced;

    private SegmentedWal(WalContext context, Path dir, WalOptions options, Closeable lock, byte[] metadata) {
        this.context = context;
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.metadata = metadata;
        this.pipeline = new SegmentPipeline(context, dir, options.preallocate() ? options.segmentSizeBytes() : 0);
    }

    /**
     * Creates a WAL in {@code dir} (created when missing) whose segments all carry {@code metadata}.
     *
     * @throws WalStateException when {@code dir} already holds a segment
     * @throws WalLockedException when another writer holds the directory
     */
    public static SegmentedWal create(WalContext context, Path dir, WalOptions options, byte[] metadata) {
        Objects.requireNonNull(metadata, "metadata");
        WalFiles files = context.files();
        Closeable lock = null;
        try {
            files.createDirectories(dir);
            lock = files.lock(dir.resolve(LOCK_FILE));
            if (!SegmentName.among(files.list(dir)).isEmpty()) {
                throw new WalStateException("wal: " + dir + " already holds a WAL");
            }
            SegmentedWal wal = new SegmentedWal(context, dir, options, lock, metadata.clone());
            wal.deleteTemporaries();
            wal.encoder = new RecordEncoder(0, options.maxRecordBytes());
            wal.encoder.encodeCrc();
            wal.encoder.encode(RecordType.METADATA, wal.metadata);
            wal.encoder.encode(RecordType.SNAPSHOT, WalSnapshot.ZERO.encode());
            wal.startSegment(new SegmentName(0, 0));
            return wal;
        } catch (IOException e) {
            closeQuietly(lock);
            throw new WalIoException("wal: creating a WAL in " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Opens the WAL in {@code dir} for appending: replays it from the segment holding the marker {@code start}
     * (strictly: any corruption throws), cuts off a torn tail and zeroes stray bytes after the last record.
     *
     * @throws WalStateException when there is no WAL or the marker is missing or has another term
     * @throws WalCorruptionException for corruption anywhere before the tail
     * @throws WalLockedException when another writer holds the directory
     */
    public static Opened open(WalContext context, Path dir, WalOptions options, WalSnapshot start) {
        WalFiles files = context.files();
        Closeable lock = null;
        try {
            if (SegmentName.among(files.list(dir)).isEmpty()) {
                throw new WalStateException("wal: no segment in " + dir);
            }
            lock = files.lock(dir.resolve(LOCK_FILE));
            WalReader.Replay replay = new WalReader(files, dir, options).replay(start, ReadMode.STRICT);
            WalContents contents = replay.contents();
            SegmentedWal wal = new SegmentedWal(context, dir, options, lock, contents.metadata());
            wal.deleteTemporaries();
            wal.resume(replay.end(), contents);
            return new Opened(wal, contents);
        } catch (IOException e) {
            closeQuietly(lock);
            throw new WalIoException("wal: opening the WAL in " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private void resume(WalReader.ScanEnd end, WalContents contents) throws IOException {
        tailName = end.lastSegment();
        tail = context.files().open(dir.resolve(tailName.fileName()), true);
        tailOffset = end.endOffset();
        encoder = new RecordEncoder(end.crc(), options.maxRecordBytes());
        lastIndex = contents.lastIndex();
        hardState = contents.hardState().length == 0 ? null : contents.hardState();
        repairTail(end);
        prepareNext();
    }

    /**
     * Cuts off what follows the last record: a torn frame, or bytes a torn write left after a zero word. With
     * preallocation the rest of the file is zeroed and kept, and zero-filled up to the segment size (a tail
     * written without preallocation, or by an older version, gets its zeros here, once, like etcd's open);
     * without, the file is truncated after the last record.
     */
    private void repairTail(WalReader.ScanEnd end) throws IOException {
        long size = tail.size();
        long stray = Zeros.count(tail, tailOffset, size, options.preallocate());
        if (!options.preallocate() && size > tailOffset) {
            tail.truncate(tailOffset);
        }
        if (options.preallocate() && size < options.segmentSizeBytes()) {
            Zeros.fill(tail, size, options.segmentSizeBytes());
        }
        end.torn().ifPresent(t -> LOG.log(System.Logger.Level.WARNING, String.format(
            "wal: repaired torn tail of %s at offset %d (%s): cut off %d non-zero bytes", t.segment(), t.offset(),
            t.reason(), stray)));
        if (end.torn().isEmpty() && stray > 0) {
            LOG.log(System.Logger.Level.WARNING, String.format("wal: cut off %d stray bytes after the last record"
                + " of %s at offset %d (an unsynced torn write)", stray, tailName.fileName(), tailOffset));
        }
        if (stray > 0 || size != tail.size()) {
            sync(tail);
        }
    }

    /**
     * Appends {@code entries} (consecutive indexes, at most one past the last index written) and then
     * {@code hardState} (an encoded raftpb.HardState, or null to keep the last one), and syncs once. A call with
     * neither writes nothing. Entries at or below the last index replace the log from their index on.
     *
     * @throws IllegalArgumentException for a malformed batch; nothing was written
     * @throws WalIoException when writing or syncing failed; the WAL is then unusable
     */
    public void save(byte[] hardState, List<WalEntry> entries) {
        save(hardState, entries, true);
    }

    /**
     * {@link #save(byte[], List)}, syncing only when {@code sync} is true (etcd's {@code raft.MustSync}: a
     * HardState whose commit index alone moved need not be durable). Unsynced records are written to the file and
     * become durable with the next sync: the next synced save, a snapshot marker, a cut or {@link #close}. A crash
     * before then may lose them, or tear the last one (repaired at open like any torn tail).
     */
    public void save(byte[] hardState, List<WalEntry> entries, boolean sync) {
        requireOpen();
        boolean hasState = hardState != null && hardState.length > 0;
        if (!hasState && entries.isEmpty()) {
            return;
        }
        long batchBytes = validate(hasState ? hardState : null, entries);
        boolean cut = tailOffset + batchBytes > options.segmentSizeBytes();
        long nextIndex = entries.isEmpty() ? lastIndex + 1 : Math.min(entries.get(0).index(), lastIndex + 1);
        try {
            if (cut) {
                finishTail();
                encodeHeader();
            }
            for (WalEntry entry : entries) {
                encoder.encode(RecordType.ENTRY, entry.data());
            }
            if (hasState) {
                encoder.encode(RecordType.STATE, hardState);
            }
            if (cut) {
                startSegment(tailName.next(nextIndex));
            } else {
                append(sync);
            }
        } catch (IOException e) {
            state = State.FAILED;
            throw new WalIoException("wal: saving to " + dir.resolve(tailName.fileName()), e);
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
        if (!entries.isEmpty()) {
            lastIndex = entries.get(entries.size() - 1).index();
        }
        if (hasState) {
            this.hardState = hardState;
        }
    }

    /** Checks a batch before anything is encoded; returns an upper bound of its frame bytes. */
    private long validate(byte[] state, List<WalEntry> entries) {
        long bytes = state == null ? 0 : checkedFrameBytes(RecordType.STATE, state.length);
        long expected = entries.isEmpty() ? 0 : entries.get(0).index();
        if (expected > lastIndex + 1) {
            throw new IllegalArgumentException(String.format("wal: first entry index %d leaves a gap after the"
                + " last index %d", expected, lastIndex));
        }
        for (WalEntry entry : entries) {
            EntryHeader header = EntryHeader.read(entry.data());
            if (header.index() != entry.index() || header.term() != entry.term() || entry.index() != expected) {
                throw new IllegalArgumentException(String.format("wal: entry (index %d, term %d) with bytes of"
                    + " (index %d, term %d) where index %d was expected", entry.index(), entry.term(),
                    header.index(), header.term(), expected));
            }
            bytes += checkedFrameBytes(RecordType.ENTRY, entry.data().length);
            expected++;
        }
        return bytes;
    }

    private long checkedFrameBytes(RecordType type, int dataBytes) {
        long frame = RecordEncoder.maxFrameBytes(dataBytes);
        if (frame - RecordEncoder.FRAME_HEADER_BYTES > options.maxRecordBytes()) {
            throw new IllegalArgumentException(String.format("wal: %s record with %d data bytes exceeds"
                + " maxRecordBytes %d", type, dataBytes, options.maxRecordBytes()));
        }
        return frame;
    }

    /**
     * Appends a snapshot marker and syncs: the log may later be opened from it. Call after the snapshot itself
     * is durable (see {@link Snapshotter#save}).
     */
    public void saveSnapshot(WalSnapshot snapshot) {
        requireOpen();
        byte[] data = snapshot.encode();
        checkedFrameBytes(RecordType.SNAPSHOT, data.length);
        try {
            encoder.encode(RecordType.SNAPSHOT, data);
            append(true);
        } catch (IOException e) {
            state = State.FAILED;
            throw new WalIoException("wal: saving a snapshot marker to " + dir.resolve(tailName.fileName()), e);
        }
        lastIndex = Math.max(lastIndex, snapshot.index());
    }

    /**
     * Deletes the oldest segments that lie wholly before the segment holding the marker for {@code snapshotIndex},
     * while more than {@code maxWalFiles} segments exist (etcd's ReleaseLockTo plus its --max-wals purge). The
     * deletions and the directory sync run on {@link WalContext#executor()}, like etcd's purge goroutine: unlinking
     * a 64 MiB segment takes milliseconds the saving thread should not wait for. A crash before they ran leaves
     * the segments behind; the next release deletes them. Returns the number of segments released.
     */
    public int releaseTo(long snapshotIndex) {
        requireOpen();
        List<SegmentName> names;
        try {
            names = SegmentName.among(context.files().list(dir));
        } catch (IOException e) {
            throw new WalIoException("wal: releasing segments of " + dir, e);
        }
        int needed = SegmentName.search(names, snapshotIndex);
        int excess = options.maxWalFiles() == 0 ? 0 : names.size() - options.maxWalFiles();
        List<SegmentName> released = List.copyOf(names.subList(0, Math.max(0, Math.min(needed, excess))));
        if (!released.isEmpty()) {
            context.executor().execute(() -> delete(released, snapshotIndex));
        }
        return released.size();
    }

    /** Deletes released segments and syncs the directory; a failure is logged, the next release retries. */
    private void delete(List<SegmentName> released, long snapshotIndex) {
        try {
            for (SegmentName name : released) {
                context.files().delete(dir.resolve(name.fileName()));
            }
            syncDirectory();
            LOG.log(System.Logger.Level.DEBUG, "wal: released {0} segment(s) before snapshot index {1}",
                released.size(), snapshotIndex);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "wal: releasing segments of " + dir + " failed; the next release "
                + "retries", e);
        }
    }

    /** Index of the last entry (or snapshot marker) written. */
    public long lastIndex() {
        return lastIndex;
    }

    /** The segment appends go to. */
    public SegmentName tailSegment() {
        return tailName;
    }

    public Path dir() {
        return dir;
    }

    /** Syncs what an unsynced save left, closes the tail and releases the directory lock. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean syncFirst = state == State.OPEN && unsynced;
        state = State.CLOSED;
        try (lock; pipeline) {
            if (syncFirst) {
                sync(tail);
            }
            if (tail != null) {
                tail.close();
            }
        } catch (IOException e) {
            throw new WalIoException("wal: closing the WAL in " + dir, e);
        }
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new WalStateException("wal: " + dir + (state == State.CLOSED ? " is closed"
                : " is unusable after an I/O failure; reopen it"));
        }
    }

    /** Writes the pending frames after the last record of the tail (zeros when preallocated), syncs if asked. */
    private void append(boolean sync) throws IOException {
        int written = encoder.writeTo(tail, tailOffset);
        if (sync) {
            sync(tail);
        }
        unsynced = !sync;
        tailOffset += written;
        context.observer().written(written);
    }

    /** With preallocation, starts zero-filling the file of the next segment on the context's executor. */
    private void prepareNext() {
        if (options.preallocate()) {
            pipeline.prepare();
        }
    }

    /** The header every segment after the first starts with: crc, metadata, the last state. */
    private void encodeHeader() {
        encoder.encodeCrc();
        encoder.encode(RecordType.METADATA, metadata);
        if (hardState != null) {
            encoder.encode(RecordType.STATE, hardState);
        }
    }

    /**
     * Before a cut: syncs records an unsynced save left (the next segment's CRC record continues their chain, so
     * they must not be lost once it is durable), then gives back the preallocated space after the last record
     * (not synced: harmless).
     */
    private void finishTail() throws IOException {
        if (unsynced) {
            sync(tail);
            unsynced = false;
        }
        if (tail.size() > tailOffset) {
            tail.truncate(tailOffset);
        }
    }

    /**
     * Writes the pending frames as segment {@code name} into the prepared file (zero-filled to the segment size
     * when preallocating), syncs, renames it to its final name, syncs the directory, and starts preparing the next.
     */
    private void startSegment(SegmentName name) throws IOException {
        SegmentChannel channel = pipeline.take();
        int written;
        try {
            written = encoder.writeTo(channel, 0);
            sync(channel);
            context.files().rename(pipeline.path(), dir.resolve(name.fileName()));
            syncDirectory();
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        SegmentChannel previous = tail;
        tail = channel;
        tailName = name;
        tailOffset = written;
        closeQuietly(previous);
        prepareNext();
        context.observer().written(written);
        context.observer().segmentCut(name.fileName());
        LOG.log(System.Logger.Level.DEBUG, "wal: started segment {0}", name.fileName());
    }

    private void sync(SegmentChannel channel) throws IOException {
        long start = context.clock().nanoTime();
        channel.force();
        observeSync(start, "fdatasync");
    }

    private void syncDirectory() throws IOException {
        long start = context.clock().nanoTime();
        context.files().syncDirectory(dir);
        observeSync(start, "directory fsync");
    }

    private void observeSync(long start, String what) {
        long took = context.clock().nanoTime() - start;
        context.observer().synced(took);
        if (took > SLOW_SYNC_NANOS) {
            LOG.log(System.Logger.Level.WARNING, String.format("wal: slow %s of %s took %d ms (expected < %d ms)",
                what, dir, took / 1_000_000, SLOW_SYNC_NANOS / 1_000_000));
        }
    }

    private void deleteTemporaries() throws IOException {
        boolean deleted = false;
        for (String name : context.files().list(dir)) {
            if (name.endsWith(".wal" + TMP_SUFFIX)) {
                context.files().delete(dir.resolve(name));
                deleted = true;
            }
        }
        if (deleted) {
            syncDirectory();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Already failing or closing: the first error is the one reported.
        }
    }
}
