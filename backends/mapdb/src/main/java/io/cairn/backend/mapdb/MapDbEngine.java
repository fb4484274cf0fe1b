package io.cairn.backend.mapdb;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.engine.EngineErrors;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The MapDB engine: MVCC by pre-images over MapDB B-trees. See the package documentation for the design, the
 * consistency argument, durability and tuning.
 *
 * <p>Locks: {@code applyLock} (apply, sync, defrag, close) before {@code lifecycle}. Readers take the
 * {@code lifecycle} read lock for one MapDB call at a time, never across calls; the write lock is taken only to
 * swap or close the store, so no reader touches a closed MapDB.
 */
final class MapDbEngine implements StorageEngine {
    static final String NAME = "mapdb";

    private final Path dir;
    private final MapDbSettings settings;
    private final Epochs epochs = new Epochs();
    /** Bucket to the epoch that created it (0: before this open). */
    private final ConcurrentSkipListMap<Bucket, Long> bucketEpochs = new ConcurrentSkipListMap<>();
    private final ReentrantLock applyLock = new ReentrantLock();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Apply-lock owned: {tag, recid} of value records replaced by applies, freed once no view can read them. */
    private final ArrayDeque<long[]> deferredFrees = new ArrayDeque<>();
    /** Null while broken: a failed apply or defrag could not reopen the files; the next apply retries. */
    private volatile MapDbStore store;
    /** Why {@link #store} is null; set before it is nulled. */
    private volatile RuntimeException broken;
    private volatile boolean closed;

    private MapDbEngine(Path dir, MapDbSettings settings, MapDbStore store) {
        this.dir = dir;
        this.settings = settings;
        this.store = store;
        for (Bucket b : store.buckets()) {
            bucketEpochs.put(b, 0L);
        }
    }

    static MapDbEngine open(Path dir, MapDbSettings settings) {
        try {
            return new MapDbEngine(dir, settings, MapDbStore.open(dir, settings));
        } catch (IOException | RuntimeException e) {
            throw EngineErrors.openFailed(NAME, dir, e);
        }
    }

    @Override
    public void apply(WriteBatch batch) {
        applyLock.lock();
        try {
            ensureOpen();
            if (batch.isEmpty()) {
                return;
            }
            MapDbStore s = liveStore();
            long tag = epochs.epoch() + 1;
            UndoLog log;
            try {
                log = UndoLog.capture(s, batch, tag);
            } catch (RuntimeException e) {
                throw EngineErrors.translate(NAME, "apply", dir, e);
            }
            for (Bucket b : batch.byBucket().keySet()) {
                bucketEpochs.putIfAbsent(b, tag);
            }
            epochs.add(log);
            try {
                freeUnreachable(s);
                write(s, batch, log);
                s.commit();
            } catch (RuntimeException e) {
                throw failedApply(tag, e);
            }
            epochs.publish(tag);
            epochs.collect();
        } finally {
            applyLock.unlock();
        }
    }

    private void write(MapDbStore s, WriteBatch batch, UndoLog log) {
        long delta = 0;
        for (Map.Entry<Bucket, NavigableMap<byte[], byte[]>> e : batch.byBucket().entrySet()) {
            Bucket b = e.getKey();
            for (Map.Entry<byte[], byte[]> w : e.getValue().entrySet()) {
                byte[] k = w.getKey();
                byte[] v = w.getValue();
                delta -= log.liveBytesBefore(b, k);
                long replaced = 0;
                if (v != null) {
                    replaced = s.put(b, k, v);
                    delta += k.length + v.length;
                } else if (log.find(b, k) != UndoLog.ABSENT) {
                    replaced = s.remove(b, k);
                }
                if (replaced != 0) {
                    deferredFrees.addLast(new long[] {log.tag, replaced});
                }
            }
        }
        s.addLiveBytes(delta);
    }

    /**
     * Frees value records replaced by applies no open view predates (a view older than the replacing apply may
     * still resolve the old record id it read from the live tree). Taken off the list before the commit: if the
     * commit then fails and rolls back, the records leak until the next defrag rather than being freed twice.
     */
    private void freeUnreachable(MapDbStore s) {
        long floor = epochs.safeFloor();
        while (!deferredFrees.isEmpty() && deferredFrees.peekFirst()[0] <= floor) {
            s.free(deferredFrees.pollFirst()[1]);
        }
    }

    /**
     * After a failed apply the MapDB transaction is half-written (and visible to MapDB readers, though not to
     * views: the undo log covers every key). Reopening from the files gives either the state before the apply
     * (journal record incomplete) or after it (record complete, rolled forward); the log's pre-images are right for
     * older views either way, so the epoch is published and the caller may retry the batch. If the reopen fails
     * too (a full disk), the engine stays broken until an apply, sync or defrag manages to reopen it.
     */
    private BackendException failedApply(long tag, RuntimeException cause) {
        lifecycle.writeLock().lock();
        try {
            MapDbStore old = store;
            broken = cause;
            store = null;
            try {
                old.abandon();
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
            reopenLocked(cause);
        } finally {
            lifecycle.writeLock().unlock();
        }
        epochs.publish(tag);
        epochs.collect();
        return EngineErrors.translate(NAME, "apply", dir, cause);
    }

    /** Under the lifecycle write lock: opens the files; on failure the engine stays broken. */
    private void reopenLocked(RuntimeException cause) {
        try {
            store = MapDbStore.open(dir, settings);
            broken = null;
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The store for apply, sync and defrag (under the apply lock), reopening a broken engine first. */
    private MapDbStore liveStore() {
        MapDbStore s = store;
        if (s != null) {
            return s;
        }
        lifecycle.writeLock().lock();
        try {
            if (store == null) {
                store = MapDbStore.open(dir, settings);
                broken = null;
            }
            return store;
        } catch (IOException | RuntimeException e) {
            throw EngineErrors.translate(NAME, "reopen", dir, e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** The store for readers (under the lifecycle read lock). */
    private MapDbStore readableStore(String operation) {
        ensureOpen();
        MapDbStore s = store;
        if (s == null) {
            RuntimeException why = broken;
            throw EngineErrors.translate(NAME, operation, dir, why != null ? why
                : new IllegalStateException("store is being reopened"));
        }
        return s;
    }

    @Override
    public void sync() {
        applyLock.lock();
        try {
            ensureOpen();
            liveStore().checkpoint();
        } catch (RuntimeException e) {
            throw EngineErrors.translate(NAME, "sync", dir, e);
        } finally {
            applyLock.unlock();
        }
    }

    @Override
    public EngineView openView() {
        ensureOpen();
        return new MapDbView(this, epochs.register());
    }

    /** The live value (state of the newest epoch, or later), or null. */
    byte[] readLive(Bucket bucket, byte[] key) {
        lifecycle.readLock().lock();
        try {
            return readableStore("read").get(bucket, key);
        } catch (RuntimeException e) {
            throw EngineErrors.translate(NAME, "read", dir, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Up to {@code limit} live entries of a range ({@code hi == null}: unbounded), in cursor order. */
    List<Map.Entry<byte[], byte[]>> fetch(Bucket bucket, byte[] lo, boolean loInclusive, byte[] hi,
        boolean hiInclusive, boolean reverse, int limit) {
        lifecycle.readLock().lock();
        try {
            return readableStore("read").range(bucket, lo, loInclusive, hi, hiInclusive, reverse, limit);
        } catch (RuntimeException e) {
            throw EngineErrors.translate(NAME, "read", dir, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    List<Bucket> bucketsAt(long epoch) {
        List<Bucket> out = new ArrayList<>();
        bucketEpochs.forEach((b, created) -> {
            if (created <= epoch) {
                out.add(b);
            }
        });
        return out;
    }

    Epochs epochs() {
        return epochs;
    }

    @Override
    public long sizeBytes() {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "mapdb.*")) {
            for (Path p : files) {
                try {
                    bytes += Files.size(p);
                } catch (NoSuchFileException e) {
                    continue;
                }
            }
        } catch (IOException e) {
            throw EngineErrors.translate(NAME, "size", dir, e);
        }
        return bytes;
    }

    @Override
    public long sizeInUseBytes() {
        lifecycle.readLock().lock();
        try {
            return readableStore("size").liveBytes();
        } catch (RuntimeException e) {
            throw EngineErrors.translate(NAME, "size", dir, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public boolean defragExcludesApply() {
        return true;
    }

    @Override
    public DefragReport defrag() {
        applyLock.lock();
        try {
            ensureOpen();
            MapDbStore s = liveStore();
            long before = sizeBytes();
            long startNanos = System.nanoTime();
            Path copy = dir.resolve(MapDbStore.COMPACT_FILE);
            try {
                Compactor.copy(s, copy, settings.maxNodeSize(), settings.inlineValueBytes());
            } catch (IOException | RuntimeException e) {
                deleteQuietly(copy, e);
                throw EngineErrors.translate(NAME, "defrag", dir, e);
            }
            swapIn(copy);
            return new DefragReport(before, sizeBytes(), Duration.ofNanos(System.nanoTime() - startNanos), true);
        } finally {
            applyLock.unlock();
        }
    }

    /** Closes the store (checkpointed, journal empty), renames the copy over it and reopens. */
    private void swapIn(Path copy) {
        lifecycle.writeLock().lock();
        try {
            RuntimeException failure = null;
            MapDbStore old = store;
            broken = new IllegalStateException("defrag is swapping the store file");
            store = null;
            try {
                old.close();
                MapDbStore.install(copy, dir);
                deferredFrees.clear();
            } catch (IOException | RuntimeException e) {
                failure = EngineErrors.translate(NAME, "defrag", dir, e);
                broken = failure;
            }
            RuntimeException reopen = failure != null ? failure : new IllegalStateException("defrag reopen");
            reopenLocked(reopen);
            if (failure != null || store == null) {
                throw EngineErrors.translate(NAME, "defrag", dir, reopen);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void deleteQuietly(Path p, Exception cause) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        applyLock.lock();
        try {
            lifecycle.writeLock().lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                MapDbStore s = store;
                if (s != null) {
                    s.close();
                }
            } catch (IOException | RuntimeException e) {
                throw EngineErrors.translate(NAME, "close", dir, e);
            } finally {
                lifecycle.writeLock().unlock();
            }
        } finally {
            applyLock.unlock();
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("mapdb engine");
        }
    }
}
