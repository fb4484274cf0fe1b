package io.cairn.backend.rocksdb;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.engine.EngineErrors;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB instance in {@code <dir>/rocksdb}. See the package documentation for the crash argument.
 *
 * <p>Native lifetime rules, the point of most of this class: every native object (snapshot, read options,
 * iterator, slice) is released before the DB, and never while another thread uses it. {@code dbLock} is held
 * shared by apply, sync, defrag and the size calls, exclusively by close, so the DB outlives them. Views and
 * cursors never take it (a long read must not hold close off through a lock shared with writers); each view
 * guards its own natives with its monitor instead, and close closes every registered view through that monitor
 * before it closes the DB. {@code views} (its monitor) orders view registration against close.
 */
final class RocksDbEngine implements StorageEngine {
    static final String NAME = "rocksdb";
    static final String SUBDIR = "rocksdb";
    private static final byte[] EMPTY = new byte[0];
    /** Free space always left over on top of twice the memtables, so a flush cannot run the disk full. */
    private static final long FLUSH_HEADROOM_BYTES = 1L << 20;
    /**
     * Extra free space required to leave the refusing state: a finishing compaction frees a few MiB by itself,
     * which must not count as the disk having been cleared (it would fill again at once).
     */
    private static final long RESUME_MARGIN_BYTES = 4L << 20;
    /**
     * Largest key plus value: an entry is copied through JNI into the write batch and a memtable, and one far above
     * the write buffer forces a giant L0 file; 256 MiB leaves etcd's request limit (1.5 MiB by default) ample room.
     */
    static final long MAX_ENTRY_BYTES = 256L << 20;
    /** Memtable bytes per entry on top of key and value (internal key trailer, skip list node), rounded up. */
    private static final int ENTRY_OVERHEAD_BYTES = 80;

    private final Path dir;
    private final Path dbDir;
    private final RocksDbSettings settings;
    private final RocksDbResources resources;
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final FileStore fileStore;
    private final ReentrantReadWriteLock dbLock = new ReentrantReadWriteLock();
    /** Guarded by its own monitor, as is {@link #closed} for writes. */
    private final Set<RocksDbView> views = new HashSet<>();
    /** Buckets that have a registry entry. */
    private final Set<Bucket> registered = ConcurrentHashMap.newKeySet();
    /** Guards {@link #runningDefrag} against its release while close cancels it. */
    private final Object defragGuard = new Object();
    private CompactRangeOptions runningDefrag;
    private volatile boolean closed;
    /** Set when close starts: a defrag failing from then on was cancelled by it. */
    private volatile boolean closing;
    /** Whether the last space check refused. */
    private volatile boolean spaceLow;

    RocksDbEngine(Path dir, RocksDbSettings settings) {
        this.dir = dir;
        this.dbDir = dir.resolve(SUBDIR);
        this.settings = settings;
        RocksDbResources opened = null;
        RocksDB database = null;
        WriteOptions write = null;
        try {
            RocksDB.loadLibrary();
            Files.createDirectories(dbDir);
            this.fileStore = Files.getFileStore(dbDir);
            opened = new RocksDbResources(settings);
            database = RocksDB.open(opened.options(), dbDir.toString());
            write = new WriteOptions().setDisableWAL(!settings.wal());
            this.registered.addAll(loadRegistry(database));
        } catch (IOException | RocksDBException | RuntimeException | UnsatisfiedLinkError e) {
            closeAll(database, write, opened);
            throw EngineErrors.openFailed(NAME, dir, e);
        }
        this.resources = opened;
        this.db = database;
        this.writeOptions = write;
    }

    private static void closeAll(RocksDB database, WriteOptions write, RocksDbResources opened) {
        if (database != null) {
            database.close();
        }
        if (write != null) {
            write.close();
        }
        if (opened != null) {
            opened.close();
        }
    }

    private static List<Bucket> loadRegistry(RocksDB database) throws RocksDBException {
        try (ReadOptions ro = new ReadOptions(); Slice lower = new Slice(KeyCodec.REGISTRY_START);
             Slice upper = new Slice(KeyCodec.REGISTRY_END)) {
            ro.setIterateLowerBound(lower).setIterateUpperBound(upper);
            return listBuckets(database, ro);
        }
    }

    /** Buckets registered as seen through {@code bounded}, whose bounds must be the registry prefix. */
    static List<Bucket> listBuckets(RocksDB db, ReadOptions bounded) throws RocksDBException {
        List<Bucket> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator(bounded)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Bucket bucket = KeyCodec.bucketOfRegistryKey(it.key());
                if (bucket != null) {
                    found.add(bucket);
                }
            }
            it.status();
        }
        return found;
    }

    RocksDB db() {
        return db;
    }

    /**
     * One {@code WriteBatch}, written with the WAL off by default: RocksDB applies a batch to a single memtable,
     * so after a crash it is entirely in the flushed state or entirely absent.
     */
    @Override
    public void apply(WriteBatch batch) {
        dbLock.readLock().lock();
        try {
            ensureOpen();
            List<Bucket> added = new ArrayList<>();
            try (org.rocksdb.WriteBatch rocksBatch = new org.rocksdb.WriteBatch()) {
                ensureRoomToFlush(estimatedBytes(batch));
                for (Map.Entry<Bucket, NavigableMap<byte[], byte[]>> bucket : batch.byBucket().entrySet()) {
                    byte[] prefix = KeyCodec.prefix(bucket.getKey());
                    boolean puts = false;
                    for (Map.Entry<byte[], byte[]> w : bucket.getValue().entrySet()) {
                        if (w.getValue() == null) {
                            rocksBatch.delete(KeyCodec.key(prefix, w.getKey()));
                        } else {
                            rocksBatch.put(KeyCodec.key(prefix, w.getKey()), w.getValue());
                            puts = true;
                        }
                    }
                    if (puts && !registered.contains(bucket.getKey())) {
                        rocksBatch.put(KeyCodec.registryKey(bucket.getKey()), EMPTY);
                        added.add(bucket.getKey());
                    }
                }
                db.write(writeOptions, rocksBatch);
            } catch (RocksDBException e) {
                throw EngineErrors.translate(NAME, "apply", dir, e);
            }
            registered.addAll(added);
        } finally {
            dbLock.readLock().unlock();
        }
    }

    /** WAL off: flush the memtables and wait (RocksDB fsyncs the SSTs, the MANIFEST and the directory). */
    @Override
    public void sync() {
        dbLock.readLock().lock();
        try {
            ensureOpen();
            persist();
        } catch (RocksDBException e) {
            throw EngineErrors.translate(NAME, "sync", dir, e);
        } finally {
            dbLock.readLock().unlock();
        }
    }

    /** Makes every applied batch durable: a memtable flush without the WAL, a WAL fsync with it. */
    private void persist() throws RocksDBException {
        if (settings.wal()) {
            db.syncWal();
        } else {
            ensureRoomToFlush(0);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
        }
    }

    /**
     * Refuses with {@link BackendException.DiskFull} unless the disk has room to flush the memtables plus
     * {@code incomingBytes}, twice over, plus a margin (and {@link #RESUME_MARGIN_BYTES} more after a refusal). A
     * flush that hits a full disk puts RocksDB into read-only mode that only a reopen clears (RocksJava has no
     * {@code DB::Resume}), and without the WAL a reopen loses the memtables, so the engine must not let a flush
     * start without room. Refused batches stay buffered in the backend and the call can be retried once space is
     * freed.
     */
    private void ensureRoomToFlush(long incomingBytes) throws RocksDBException {
        long memtables = db.getLongProperty("rocksdb.cur-size-all-mem-tables");
        long needed = 2 * (memtables + incomingBytes) + FLUSH_HEADROOM_BYTES + (spaceLow ? RESUME_MARGIN_BYTES : 0);
        long usable;
        try {
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            throw EngineErrors.translate(NAME, "free space check", dir, e);
        }
        spaceLow = usable < needed;
        if (spaceLow) {
            throw new BackendException.DiskFull(dir, new IOException("No space left on device: " + usable
                + " bytes free, flushing " + (memtables + incomingBytes) + " bytes of memtables needs " + needed));
        }
    }

    private static long estimatedBytes(WriteBatch batch) {
        long bytes = 0;
        for (NavigableMap<byte[], byte[]> writes : batch.byBucket().values()) {
            for (Map.Entry<byte[], byte[]> w : writes.entrySet()) {
                bytes += ENTRY_OVERHEAD_BYTES + w.getKey().length + (w.getValue() == null ? 0 : w.getValue().length);
            }
        }
        return bytes;
    }

    @Override
    public EngineView openView() {
        synchronized (views) {
            ensureOpen();
            Snapshot snapshot = db.getSnapshot();
            RocksDbView view = new RocksDbView(this, snapshot);
            views.add(view);
            return view;
        }
    }

    /** A view closed by its user no longer needs closing by the engine. */
    void forget(RocksDbView view) {
        synchronized (views) {
            views.remove(view);
        }
    }

    /**
     * Bytes of the RocksDB data files: SSTs, WAL, MANIFEST, OPTIONS and the small bookkeeping files. RocksDB's own
     * diagnostic logs ({@code LOG}, {@code LOG.old.*}, at most five files of 8 MiB) are not data and are left out.
     */
    @Override
    public long sizeBytes() {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dbDir, f -> !f.getFileName().toString()
            .startsWith("LOG"))) {
            for (Path f : files) {
                try {
                    total += Files.size(f);
                } catch (NoSuchFileException e) {
                    // deleted by a compaction meanwhile: no longer counts
                }
            }
        } catch (IOException e) {
            throw EngineErrors.translate(NAME, "size", dir, e);
        }
        return total;
    }

    /** RocksDB's estimate of live SST bytes (memtables are not on disk), capped by the files' size. */
    @Override
    public long sizeInUseBytes() {
        dbLock.readLock().lock();
        try {
            ensureOpen();
            return Math.min(db.getLongProperty("rocksdb.estimate-live-data-size"), sizeBytes());
        } catch (RocksDBException e) {
            throw EngineErrors.translate(NAME, "size", dir, e);
        } finally {
            dbLock.readLock().unlock();
        }
    }

    @Override
    public long maxEntryBytes() {
        return MAX_ENTRY_BYTES;
    }

    /** False: a manual compaction runs beside writes; RocksDB installs its results atomically. */
    @Override
    public boolean defragExcludesApply() {
        return false;
    }

    /**
     * Compacts the whole key space down to the last level, the bottommost level included (its own deletes and
     * overwrites are dropped too), so obsolete SSTs are deleted. Data still visible to an open view is kept.
     */
    @Override
    public DefragReport defrag() {
        dbLock.readLock().lock();
        try {
            ensureOpen();
            long before = sizeBytes();
            long started = System.nanoTime();
            try (CompactRangeOptions options = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)
                .setExclusiveManualCompaction(false)) {
                synchronized (defragGuard) {
                    runningDefrag = options;
                }
                try {
                    db.compactRange(db.getDefaultColumnFamily(), null, null, options);
                } finally {
                    synchronized (defragGuard) {
                        runningDefrag = null;
                    }
                }
            } catch (RocksDBException e) {
                if (closing) {
                    BackendException cancelled = new BackendException.Closed("rocksdb engine");
                    cancelled.addSuppressed(e);
                    throw cancelled;
                }
                throw EngineErrors.translate(NAME, "defrag", dir, e);
            }
            return new DefragReport(before, sizeBytes(), Duration.ofNanos(System.nanoTime() - started), false);
        } finally {
            dbLock.readLock().unlock();
        }
    }

    /**
     * Cancels a running defrag, waits for apply, sync and defrag to leave, persists the memtables (without the
     * WAL they exist nowhere else), closes every open view's natives, then the DB, then the options. If
     * persisting fails the engine stays open and the error is thrown: closing would lose applied batches.
     */
    @Override
    public void close() {
        closing = true;
        synchronized (defragGuard) {
            if (runningDefrag != null) {
                runningDefrag.setCanceled(true);
            }
        }
        dbLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            try {
                persist();
            } catch (RocksDBException e) {
                throw EngineErrors.translate(NAME, "close", dir, e);
            }
            List<RocksDbView> open;
            synchronized (views) {
                closed = true;
                open = new ArrayList<>(views);
                views.clear();
            }
            open.forEach(RocksDbView::closeByEngine);
            closeDb();
        } finally {
            dbLock.writeLock().unlock();
        }
    }

    private void closeDb() {
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw EngineErrors.translate(NAME, "close", dir, e);
        } finally {
            writeOptions.close();
            resources.close();
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("rocksdb engine");
        }
    }

    BackendException failed(String operation, RocksDBException e) {
        return EngineErrors.translate(NAME, operation, dir, e);
    }
}
