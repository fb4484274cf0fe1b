package io.cairn.backend.xodus;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.EngineErrors;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import jetbrains.exodus.ConfigurationStrategy;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;
import jetbrains.exodus.gc.GarbageCollector;
import jetbrains.exodus.log.Log;

/**
 * One Xodus environment in the engine's directory, one Xodus store per bucket. See the package documentation for
 * the tuning, durability and defrag semantics.
 *
 * <p>Lifecycle: {@link #apply}, {@link #sync}, {@link #openView} and {@link #defrag} hold the read side of
 * {@code lifecycle}, {@link #close} the write side, so close waits for them and they never see a closed
 * environment. Views are tracked so close can end their read-only transactions first (Xodus refuses to close
 * with transactions open). Lock order: {@code lifecycle} before a view's monitor.
 */
final class XodusEngine implements StorageEngine {
    /** Store names are the bucket name under this prefix, which keeps Xodus's own stores out of the bucket list. */
    static final String STORE_PREFIX = "bucket:";
    /**
     * B+tree without duplicates. Not the Patricia tree ({@code WITHOUT_DUPLICATES_WITH_PREFIXING}): its reverse
     * iteration is wrong in Xodus 2.0.1 when a key is a proper prefix of other keys (see the package documentation).
     */
    static final StoreConfig BUCKET_STORE = StoreConfig.WITHOUT_DUPLICATES;
    private static final String LOCK_FAILURE = "Can't acquire environment lock";
    /** Loggable header bytes around a leaf's key and value, with margin (measured: 6 for a 17-byte key). */
    private static final int LOGGABLE_OVERHEAD_BYTES = 64;

    private final Path dir;
    private final long logFileSizeBytes;
    private final EnvironmentImpl env;
    private final LogCompactor compactor;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Set<XodusView> views = ConcurrentHashMap.newKeySet();
    /** Written under the write side of {@code lifecycle}. */
    private volatile boolean closed;

    private XodusEngine(Path dir, long logFileSizeBytes, EnvironmentImpl env) {
        this.dir = dir;
        this.logFileSizeBytes = logFileSizeBytes;
        this.env = env;
        this.compactor = new LogCompactor(env);
    }

    /** Opens or creates the environment in {@code dir}. */
    static XodusEngine open(Path dir, XodusSettings settings) {
        LogFiles.checkFileSize(dir, settings.logFileSizeBytes());
        try {
            EnvironmentImpl env = (EnvironmentImpl) Environments.newInstance(dir.toFile(), config(settings));
            return new XodusEngine(dir, settings.logFileSizeBytes(), env);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(LOCK_FAILURE)) {
                throw new BackendException(XodusEngineProvider.NAME + ": " + dir + " is open in another engine or "
                    + "process (" + message.lines().findFirst().orElse("") + ")", e);
            }
            throw EngineErrors.openFailed(XodusEngineProvider.NAME, dir, e);
        }
    }

    /** The environment configuration; every choice is explained in the package documentation. */
    static EnvironmentConfig config(XodusSettings settings) {
        return new EnvironmentConfig(ConfigurationStrategy.IGNORE)
            .setLogFileSize(settings.logFileSizeBytes() >> 10)
            .setMemoryUsagePercentage(settings.cacheHeapPercent())
            .setLogCacheShared(false)
            .setLogDurableWrite(false)
            .setLogClearInvalid(false)
            .setEnvCloseForcedly(false)
            .setEnvGatherStatistics(false)
            .setManagementEnabled(false)
            .setEnvMonitorTxnsExpirationTimeout(0)
            .setGcEnabled(settings.gcEnabled())
            .setGcMinUtilization(settings.gcMinUtilizationPercent())
            .setGcFilesDeletionDelay(0);
    }

    @Override
    public void apply(WriteBatch batch) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            if (batch.isEmpty()) {
                return;
            }
            checkEntrySizes(batch);
            Transaction txn = env.beginExclusiveTransaction();
            try {
                batch.byBucket().forEach((bucket, writes) -> write(txn, bucket, writes));
                if (!txn.commit()) {
                    throw new BackendException(XodusEngineProvider.NAME + ": an exclusive commit was refused");
                }
            } finally {
                abortIfOpen(txn);
            }
        } catch (RuntimeException e) {
            throw EngineErrors.translate(XodusEngineProvider.NAME, "apply", dir, e);
        } finally {
            lock.unlock();
        }
    }

    /** A loggable never spans two log files, so an entry must fit in one with its overhead. */
    @Override
    public long maxEntryBytes() {
        return logFileSizeBytes - LOGGABLE_OVERHEAD_BYTES;
    }

    /**
     * Xodus writes a B+tree leaf (key and value) as one loggable, and a loggable never spans two log files: refuse
     * an entry that cannot fit before starting the transaction, naming the setting that lifts the limit.
     */
    private void checkEntrySizes(WriteBatch batch) {
        batch.forEach((bucket, key, value) -> {
            if (value != null && (long) key.length + value.length + LOGGABLE_OVERHEAD_BYTES > logFileSizeBytes) {
                throw new BackendException(XodusEngineProvider.NAME + ": an entry of " + key.length + " + "
                    + value.length + " bytes (bucket " + bucket + ", key " + Keys.toHex(key) + ") does not fit in a "
                    + (logFileSizeBytes >> 20) + " MiB log file; raise " + XodusSettings.LOG_FILE_SIZE_MIB);
            }
        });
    }

    private void write(Transaction txn, Bucket bucket, NavigableMap<byte[], byte[]> writes) {
        boolean anyPut = writes.values().stream().anyMatch(Objects::nonNull);
        Store store = env.openStore(storeName(bucket), anyPut ? BUCKET_STORE : StoreConfig.USE_EXISTING, txn, anyPut);
        if (store == null) {
            return; // only deletes, in a bucket that was never written
        }
        for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
            if (e.getValue() == null) {
                store.delete(txn, ByteIterables.wrap(e.getKey()));
            } else {
                store.put(txn, ByteIterables.wrap(e.getKey()), ByteIterables.wrap(e.getValue()));
            }
        }
    }

    private static void abortIfOpen(Transaction txn) {
        if (!txn.isFinished()) {
            txn.abort();
        }
    }

    @Override
    public void sync() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            env.flushAndSync();
        } catch (RuntimeException e) {
            throw EngineErrors.translate(XodusEngineProvider.NAME, "sync", dir, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public EngineView openView() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            XodusView view = new XodusView(this, env, env.beginReadonlyTransaction());
            views.add(view);
            return view;
        } catch (RuntimeException e) {
            throw EngineErrors.translate(XodusEngineProvider.NAME, "open a view", dir, e);
        } finally {
            lock.unlock();
        }
    }

    /** Called by a view that closed itself. */
    void forget(XodusView view) {
        views.remove(view);
    }

    @Override
    public long sizeBytes() {
        ensureOpen();
        return LogFiles.totalBytes(dir);
    }

    /**
     * Per log file, its length minus the bytes the cleaner's utilization profile counts as garbage (updated at every
     * commit with the loggables it made obsolete). A file the profile does not know yet (right after open, before
     * the profile is loaded) counts as fully live, as does a cleaned file whose deletion waits for an open view.
     */
    @Override
    public long sizeInUseBytes() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            Log log = env.getLog();
            GarbageCollector gc = env.getGC();
            long used = 0;
            for (long file : log.getAllFileAddresses()) {
                long length = log.getFileSize(file);
                long free = gc.getFileFreeBytes(file);
                used += free == Long.MAX_VALUE ? length : Math.max(0, length - free);
            }
            return Math.min(used, LogFiles.totalBytes(dir));
        } catch (RuntimeException e) {
            throw EngineErrors.translate(XodusEngineProvider.NAME, "size in use", dir, e);
        } finally {
            lock.unlock();
        }
    }

    /** Defrag runs as GC transactions, which serialize with {@code apply} one file at a time. */
    @Override
    public boolean defragExcludesApply() {
        return false;
    }

    @Override
    public DefragReport defrag() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            long before = LogFiles.totalBytes(dir);
            long start = System.nanoTime();
            compactor.compact();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new DefragReport(before, LogFiles.totalBytes(dir), took, false);
        } catch (RuntimeException e) {
            throw EngineErrors.translate(XodusEngineProvider.NAME, "defrag", dir, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (XodusView view : views) {
                view.closeByEngine();
            }
            views.clear();
            env.close();
        } catch (RuntimeException e) {
            throw EngineErrors.translate(XodusEngineProvider.NAME, "close", dir, e);
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    Path dir() {
        return dir;
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("xodus engine in " + dir);
        }
    }

    static String storeName(Bucket bucket) {
        return STORE_PREFIX + bucket.name();
    }
}
