package io.cairn.backend.mvstore;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.engine.EngineErrors;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * One MVStore file, one map per bucket. See the package documentation for the crash and view arguments.
 *
 * <p>{@code lock} serialises everything that writes or replaces the store: apply, sync, defrag, close. Views
 * never take it: they read the volatile {@link #current} version.
 */
final class MvStoreEngine implements StorageEngine {
    static final String NAME = "mvstore";
    static final String FILE = "cairn.mv.db";
    /** Map name prefix of buckets; other maps in the file (none today) are not buckets. */
    static final String MAP_PREFIX = "bucket.";
    /** Live bytes rewritten by the compaction that follows an apply, at most. */
    static final int AUTO_COMPACT_WRITE_BYTES = 4 << 20;
    /** Live bytes rewritten per defrag step (one commit each). */
    static final int DEFRAG_STEP_BYTES = 16 << 20;
    /**
     * Largest key plus value: a commit is one chunk serialised into one heap buffer that cannot grow past 2 GiB,
     * so single entries stay far below that (etcd's own request limit defaults to 1.5 MiB).
     */
    static final long MAX_ENTRY_BYTES = 64L << 20;

    private final Path dir;
    private final Path file;
    private final MvStoreSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<Bucket, MVMap<byte[], byte[]>> maps = new HashMap<>();
    /** Every version that may still be pinned, so close can unpin them all. */
    private final Set<PinnedVersion> pinned = ConcurrentHashMap.newKeySet();
    /** Written under lock; null after a failed write whose reopen failed too. */
    private volatile MVStore store;
    private volatile PinnedVersion current;
    private volatile boolean closed;
    /** Guarded by lock: the version of the last fsync, pinned until the next one so it stays recoverable. */
    private PinnedVersion durable;
    /** Guarded by lock. */
    private long lastSyncNanos;

    MvStoreEngine(Path dir, MvStoreSettings settings) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.settings = settings;
        try {
            openStore();
        } catch (RuntimeException e) {
            throw EngineErrors.openFailed(NAME, dir, e);
        }
    }

    /**
     * Opens the file (recovering to its last complete chunk after a crash), fsyncs it and its directory so what it
     * holds now is durable, and publishes its state.
     */
    private void openStore() {
        MVStore.Builder builder = new MVStore.Builder()
            .fileName(UninterruptibleFilePath.fileName(file))
            .autoCommitDisabled()
            .autoCommitBufferSize(0)
            .cacheSize(settings.cacheSizeMb())
            .keysPerPage(settings.keysPerPage());
        switch (settings.compression()) {
            case FAST -> builder.compress();
            case HIGH -> builder.compressHigh();
            default -> { }
        }
        MVStore opened = builder.open();
        try {
            opened.setVersionsToKeep(0);
            opened.setRetentionTime(0);
            maps.clear();
            for (String name : opened.getMapNames()) {
                Bucket bucket = bucketOf(name);
                if (bucket != null) {
                    maps.put(bucket, opened.openMap(name, mapBuilder()));
                }
            }
            syncAndPin(opened);
        } catch (RuntimeException e) {
            opened.closeImmediately();
            throw e;
        }
        store = opened;
        publish(opened);
    }

    private static MVMap.Builder<byte[], byte[]> mapBuilder() {
        return new MVMap.Builder<byte[], byte[]>().keyType(UnsignedBytesType.INSTANCE)
            .valueType(UnsignedBytesType.INSTANCE);
    }

    private static Bucket bucketOf(String mapName) {
        if (!mapName.startsWith(MAP_PREFIX)) {
            return null;
        }
        try {
            return Bucket.of(mapName.substring(MAP_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void apply(WriteBatch batch) {
        lock.lock();
        try {
            ensureOpen();
            MVStore s = healthyStore();
            try {
                write(s, batch);
                s.commit();
                autoCompact(s);
            } catch (RuntimeException e) {
                BackendException failure = EngineErrors.translate(NAME, "apply", dir, e);
                discardAndReopen(s, failure);
                throw failure;
            }
            publish(s);
            long sinceSync = System.nanoTime() - lastSyncNanos;
            if (settings.autoSyncMs() > 0 && sinceSync >= settings.autoSyncMs() * 1_000_000L) {
                try {
                    syncAndPin(s);
                } catch (RuntimeException e) {
                    throw EngineErrors.translate(NAME, "sync", dir, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void write(MVStore s, WriteBatch batch) {
        for (Map.Entry<Bucket, NavigableMap<byte[], byte[]>> bucket : batch.byBucket().entrySet()) {
            MVMap<byte[], byte[]> map = maps.get(bucket.getKey());
            for (Map.Entry<byte[], byte[]> w : bucket.getValue().entrySet()) {
                if (w.getValue() != null) {
                    if (map == null) {
                        map = s.openMap(MAP_PREFIX + bucket.getKey().name(), mapBuilder());
                        maps.put(bucket.getKey(), map);
                    }
                    map.put(w.getKey(), w.getValue());
                } else if (map != null) {
                    map.remove(w.getKey());
                }
            }
        }
    }

    /**
     * Rewrites a bounded amount of live data out of the emptiest chunks while the live share of the rewritable
     * chunks (live, not the newest) is below the target, then commits. MVStore's background housekeeping does the
     * same with the same measure, but its thread is off (it would commit half a batch). Dead chunks waiting for the
     * next sync or for a view to close do not count: rewriting cannot free them any sooner.
     */
    private void autoCompact(MVStore s) {
        int target = settings.autoCompactFillRate();
        if (target > 0 && rewritableFillRate(s) < target && s.compact(target, AUTO_COMPACT_WRITE_BYTES)) {
            s.commit();
        }
    }

    /** MVStore exposes the fill rate of rewritable chunks only through its info callback. */
    private static int rewritableFillRate(MVStore s) {
        int[] rate = {100};
        s.getFileStore().populateInfo((key, value) -> {
            if (key.equals("info.CHUNKS_FILL_RATE_RW")) {
                rate[0] = Integer.parseInt(value);
            }
        });
        return rate[0];
    }

    /** Pins the committed roots of every map as the version new views open on; unpins the previous one. */
    private void publish(MVStore s) {
        NavigableMap<Bucket, PinnedVersion.Root> roots = new TreeMap<>();
        maps.forEach((bucket, map) -> roots.put(bucket, new PinnedVersion.Root(map, map.flushAndGetRoot())));
        PinnedVersion next = new PinnedVersion(s, s.registerVersionUsage(), Collections.unmodifiableNavigableMap(
            roots));
        PinnedVersion previous = current;
        pinned.add(next);
        current = next;
        if (previous != null) {
            previous.release();
        }
        pinned.removeIf(PinnedVersion::isUnpinned);
    }

    /** The open store, reopening it if a failed write closed it (MVStore closes itself on any write error). */
    private MVStore healthyStore() {
        MVStore s = store;
        if (s != null && !s.isClosed()) {
            return s;
        }
        try {
            openStore();
        } catch (RuntimeException e) {
            store = null;
            throw EngineErrors.translate(NAME, "reopen after a failed write", dir, e);
        }
        return store;
    }

    /**
     * After a failed write the maps hold part of a batch that must never be committed: drop the store without
     * writing and reopen it at its last commit. If reopening fails too, the next call retries it.
     */
    private void discardAndReopen(MVStore s, BackendException failure) {
        store = null;
        s.closeImmediately();
        try {
            openStore();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void sync() {
        lock.lock();
        try {
            ensureOpen();
            MVStore s = healthyStore();
            try {
                syncAndPin(s);
            } catch (RuntimeException e) {
                throw EngineErrors.translate(NAME, "sync", dir, e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * fsyncs the file (and the directory, for a new file's entry) and pins the version just made durable in place
     * of the previous one. Chunk space is reused with no retention delay, so this pin is what keeps every chunk the
     * last durable version needs intact until the next fsync: after a power loss the store still opens at that
     * version or a later one.
     */
    private void syncAndPin(MVStore s) {
        s.sync();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("mvstore: cannot sync directory " + dir, e);
        }
        PinnedVersion next = new PinnedVersion(s, s.registerVersionUsage(), Collections.emptyNavigableMap());
        pinned.add(next);
        PinnedVersion previous = durable;
        durable = next;
        lastSyncNanos = System.nanoTime();
        if (previous != null) {
            previous.release();
        }
    }

    @Override
    public EngineView openView() {
        while (true) {
            ensureOpen();
            PinnedVersion version = current;
            if (version.retain()) {
                return new MvStoreView(this, version);
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public long sizeBytes() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw EngineErrors.translate(NAME, "size", dir, e);
        }
    }

    /** File size times the share of blocks in chunks times the live share of chunk bytes. */
    @Override
    public long sizeInUseBytes() {
        MVStore s = store;
        if (s == null || s.isClosed()) {
            return 0;
        }
        try {
            FileStore<?> fs = s.getFileStore();
            return fs.size() * fs.getFillRate() / 100 * fs.getChunksFillRate() / 100;
        } catch (RuntimeException e) {
            throw readFailed(e);
        }
    }

    @Override
    public long maxEntryBytes() {
        return MAX_ENTRY_BYTES;
    }

    /** True: MVStore compaction commits, so running it inside an apply could persist half a batch. */
    @Override
    public boolean defragExcludesApply() {
        return true;
    }

    @Override
    public DefragReport defrag() {
        lock.lock();
        try {
            ensureOpen();
            MVStore s = healthyStore();
            long before = sizeBytes();
            long started = System.nanoTime();
            try {
                compactFully(s);
            } catch (RuntimeException e) {
                BackendException failure = EngineErrors.translate(NAME, "defrag", dir, e);
                discardAndReopen(s, failure);
                throw failure;
            }
            return new DefragReport(before, sizeBytes(), Duration.ofNanos(System.nanoTime() - started), true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rewrites live pages out of old chunks in steps of {@link #DEFRAG_STEP_BYTES}, each step a checkpoint (commit,
     * fsync, both engine pins moved forward) so the heap never holds more than a step and the emptied chunks are
     * pinned by nothing of the engine's own; stops once as much as was live at the start has been rewritten (fresh
     * chunks sort last, so this evacuates every old one) or nothing is left to rewrite. Then frees dead chunks,
     * moves the rest to the front and truncates the file (MVStore fsyncs around the moves). Chunks pinned by views
     * still open stay.
     */
    private void compactFully(MVStore s) {
        long budget = sizeInUseBytes();
        checkpoint(s);
        for (long rewritten = 0; rewritten < budget && s.compact(101, DEFRAG_STEP_BYTES);
            rewritten += DEFRAG_STEP_BYTES) {
            checkpoint(s);
        }
        if (s.getFileStore() instanceof RandomAccessStore ras) {
            ras.compactMoveChunks(101, Long.MAX_VALUE, s);
        }
        checkpoint(s);
    }

    /** Commits, fsyncs and moves both engine pins to the new version, so older chunks become reclaimable. */
    private void checkpoint(MVStore s) {
        s.commit();
        syncAndPin(s);
        publish(s);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pinned.forEach(PinnedVersion::forceUnpin);
            pinned.clear();
            MVStore s = store;
            store = null;
            if (s != null && !s.isClosed()) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    s.closeImmediately();
                    throw EngineErrors.translate(NAME, "close", dir, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("mvstore engine");
        }
    }

    /** A failed read: {@link BackendException.Closed} if the engine closed meanwhile, else translated. */
    BackendException readFailed(RuntimeException e) {
        if (closed) {
            BackendException c = new BackendException.Closed("mvstore engine");
            c.addSuppressed(e);
            return c;
        }
        return EngineErrors.translate(NAME, "read", dir, e);
    }
}
