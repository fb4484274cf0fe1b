/**
 * The {@code xodus} engine: a JetBrains Xodus 2.0.1 environment behind the engine SPI. Imports the backend SPI and
 * Xodus only; found through {@link io.cairn.backend.xodus.XodusEngineProvider} in {@code META-INF/services}.
 *
 * <h2>Layout and mapping</h2>
 * The environment lives directly in the backend directory, next to {@code cairn-backend.properties}: log files
 * {@code 00000000000.xd}, {@code 00000000100.xd}, ... (base-32 addresses, each {@code logFileSizeMiB} long except
 * the newest) and the lock file {@code xd.lck}; Xodus ignores every other file. Each bucket is one Xodus store
 * named {@code bucket:NAME}, a B+tree without duplicates; Xodus's own store {@code exodus.gc.up} (the cleaner's
 * utilization profile) is therefore never listed as a bucket. Xodus orders keys bytewise unsigned, shorter prefix
 * first. {@code apply} is one exclusive read-write transaction committed once; {@code openView} is one read-only
 * transaction, i.e. a snapshot of the log (Xodus is MVCC over an append-only log: a view takes no lock, never
 * blocks {@code apply}, and costs nothing but the files it keeps from deletion). {@code sizeBytes} is the length
 * of the {@code .xd} files; {@code sizeInUseBytes} is, per file, its length minus the garbage the cleaner's
 * utilization profile counts (updated at every commit).
 *
 * <h2>Durability</h2>
 * <ul>
 * <li>{@code apply}: the commit appends the transaction's loggables and then a database root to the log and hands
 * them to the OS ({@code write}), without fsync ({@code exodus.log.durableWrite=false}). On open Xodus scans back
 * to the last valid database root and truncates what follows, so a process killed at any moment reopens at exactly
 * the state after its last complete {@code apply} (the conformance suite kills a writer with SIGKILL to check).</li>
 * <li>{@code sync}: {@code EnvironmentImpl.flushAndSync()}: under Xodus's commit lock, flush the writer and fsync
 * the newest log file. Older files were fsynced when they filled (before the next file is started, which is
 * followed by a directory fsync). Xodus also fsyncs on its own at most every 10 s while writing
 * ({@code exodus.log.syncPeriod}, default kept). After an OS crash or power loss, everything applied before the
 * last fsync survives; later applies may be lost, and whether the unsynced tail can come back torn depends on the
 * OS writing it back in order, which it does not promise: the server's WAL, replayed from the backend's last
 * synced state, is what makes them durable.</li>
 * <li>{@code close}: ends outstanding views, stops the cleaner, saves the utilization profile in a last
 * transaction, fsyncs and closes the log.</li>
 * </ul>
 *
 * <h2>Defrag and the cleaner</h2>
 * Xodus never rewrites a file: every commit appends (an overwrite or delete too), and its log cleaner ("GC")
 * reclaims space by copying a file's live loggables to the head of the log in an exclusive GC transaction and
 * deleting the file once no open transaction can read it. {@code defrag} forces one full pass
 * ({@link io.cairn.backend.xodus.LogCompactor}): every file older than the one being written, oldest first, one
 * GC transaction per file, run on the environment's cleaner thread. It does not exclude {@code apply}
 * ({@code defragExcludesApply() == false}, reported {@code blockedWrites == false}): an {@code apply} waits for at
 * most one file's cleaning (tens of milliseconds for 8 MiB) and a GC transaction waits up to 1 s for an
 * {@code apply} ({@code exodus.gc.transactionAcquireTimeout}), retried 10 times per file. While it runs the log
 * grows by the live data it copies. A view held open across it keeps reading its snapshot; the cleaned files are
 * then deleted only when it closes, and the space shows as freed at the next defrag or cleaner run.
 * Between defrags the background cleaner ({@code gcEnabled}) does the same for the most fragmented files once
 * free space exceeds {@code 100 - gcMinUtilizationPercent} percent, starting 10 s after open
 * ({@code exodus.gc.startIn}), in GC transactions of up to 500 ms ({@code exodus.gc.transactionTimeout}) that
 * delay an {@code apply} by as much. Without it only {@code defrag} reclaims space, and the log grows with every
 * commit.
 *
 * <h2>Threads</h2>
 * Per environment: "Exodus background cleaner for DIR" (daemon), stopped and joined by {@code close}. Created by the
 * first environment in the JVM and shared by all, daemon, never stopped (Xodus has no API for it; idle without open
 * environments): "Exodus shared timer thread" (1 s ticks of cache hit-rate adjusters and the periodic-GC hook, a
 * no-op with {@code exodus.gc.runEvery=0}), "Exodus shared deferred I/O job processor" (started by every log;
 * idle here: no file-deletion delay, no warm-up) and "threadJobProcessorPoolSpawner". No JMX beans, no stuck-
 * transaction monitor.
 *
 * <h2>Settings ({@code engineSettings})</h2>
 * <ul>
 * <li>{@code logFileSizeMiB} (default 8, 1..1024): size of one log file; the unit of cleaning (the newest file is
 * never cleaned) and the bound on one entry (key + value + about 6 bytes; {@code apply} refuses a larger entry
 * naming this key). Cannot change for an existing store: refused on open once two files exist. 8 MiB (Xodus's
 * default) keeps defrag fine-grained at tens of MB and fits etcd's 1.5 MiB request limit with room.</li>
 * <li>{@code cacheHeapPercent} (default 25, 1..90): the environment's log page cache as a share of max heap
 * ({@code exodus.memoryUsagePercentage}, Xodus default 50); the rest of the heap holds the MVCC key index and
 * write buffers, and the OS page cache serves data sets beyond it.</li>
 * <li>{@code gcEnabled} (default true): the background cleaner ({@code exodus.gc.enabled}).</li>
 * <li>{@code gcMinUtilizationPercent} (default 50, 1..90): the cleaner keeps at least this share of the log live
 * ({@code exodus.gc.minUtilization}, same default); higher saves disk at the cost of more copying.</li>
 * </ul>
 *
 * <h2>Fixed tuning (Xodus key, its default, ours, why)</h2>
 * <ul>
 * <li>{@code exodus.*} system properties are ignored ({@code ConfigurationStrategy.IGNORE}): configuration comes
 * from the settings above only.</li>
 * <li>{@code exodus.log.cache.shared} true, ours false: a per-environment cache and cleaner thread, so close
 * releases both; the shared ones are sized once and never stopped.</li>
 * <li>{@code exodus.gc.filesDeletionDelay} 5000 ms, ours 0: a cleaned file goes as soon as no transaction can read
 * it, so {@code defrag}'s result is on disk when it returns.</li>
 * <li>{@code exodus.env.monitorTxns.expirationTimeout} 8 h, ours 0: a long view (a snapshot of a large store) is
 * never force-aborted, and no monitor task runs.</li>
 * <li>{@code exodus.env.gatherStatistics} true and {@code exodus.managementEnabled} true, ours false: no per-call
 * counters, periodic disk-usage walks or JMX beans; Cairn exports its own metrics.</li>
 * <li>{@code exodus.log.durableWrite} false, {@code exodus.log.clearInvalid} false (a log with misplaced or
 * mis-sized files is refused as corrupted, never cleared), {@code exodus.env.closeForcedly} false (close aborts
 * views itself, then closes normally): defaults, set explicitly because correctness depends on them.</li>
 * <li>Store type: B+tree ({@code StoreConfig.WITHOUT_DUPLICATES}), page size {@code exodus.tree.maxPageSize} 128
 * (default kept: 64/128/256 measured within noise). For etcd's workload, revision keys arrive in ascending order,
 * so a batch touches the rightmost path only, and a whole batch (up to 10,000 writes) is one transaction, so each
 * page on that path is appended once per batch: 1M 17-byte keys with 256-byte values in 10,000-put transactions
 * took 269 MB of log for 273 MB of keys and values, at 0.2-0.6 M puts/s on two shared cores. The Patricia tree
 * ({@code WITHOUT_DUPLICATES_WITH_PREFIXING}) measured 1.3-1.9x faster puts and 2x faster random gets on the same
 * load, but its reverse iteration is wrong in 2.0.1: {@code TreeCursor.moveToPrev} returns a node's value before
 * its subtree, so a key comes before its extensions ({@code ff, ffff, ff00}). The conformance suite catches it;
 * etcd's fixed-width revision keys would not, but other buckets would.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Open: the lock held by another engine or process is a plain {@code BackendException} ("is open in another
 * engine or process"); files Xodus cannot read are {@code BackendException.Corrupted}. A full disk is
 * {@code DiskFull}: Xodus reverts the failed commit's write and stays usable, so the batch can be retried. Any
 * failure of a view racing {@code close} reads as {@code Closed}.
 */
package io.cairn.backend.xodus;
