/**
 * The {@code rocksdb} engine: RocksDB 11.8.1 through RocksJava, an LSM tree in {@code <dir>/rocksdb}.
 *
 * <h2>Layout</h2>
 * One column family (the default one) holds every bucket. A key is {@code [name length][name][user key]}; the
 * length byte keeps a bucket's keys contiguous and apart from other buckets, and RocksDB's default bytewise
 * comparator orders user keys unsigned, prefixes first. Length byte 0 is reserved for a registry:
 * {@code [0][name]} marks a bucket as existing, written in the same batch as the bucket's first put, so listing
 * buckets is a short scan in name order, consistent with the view's snapshot (see
 * {@link io.cairn.backend.rocksdb.KeyCodec}). One column family means a batch is one {@code WriteBatch} with no
 * need for {@code atomic_flush} across families.
 *
 * <h2>Apply and crash safety</h2>
 * {@code apply} writes the whole batch as one {@code WriteBatch}, by default with RocksDB's WAL off
 * ({@code WriteOptions.setDisableWAL(true)}): Cairn's own WAL is the log, replayed after a crash from the last
 * state the backend holds, so a second log would only double the write bandwidth. Without the WAL, what survives
 * a SIGKILL is what the MANIFEST records: the SST files of flushed memtables. That is a prefix of applies because
 * RocksDB inserts a write batch into exactly one memtable (memtables are switched only between write groups, on
 * the write thread), and installs flush results in the MANIFEST strictly in memtable order (a later memtable's
 * flush waits for the earlier ones), so the recovered state is "every batch up to some memtable boundary". A kill
 * loses the unflushed tail, which Cairn's WAL replays. A clean {@code close()} flushes the memtables first
 * ({@code avoid_flush_during_shutdown} stays false, and the engine flushes explicitly anyway), so it keeps
 * everything.
 *
 * <p>With {@code rocksdb.wal=true} every applied batch also goes to RocksDB's WAL (not fsynced per write) and
 * survives a kill too; {@code sync()} then only fsyncs the WAL.
 *
 * <h2>Durability</h2>
 * {@code sync()} is {@code flush(waitForFlush=true)} without the WAL (RocksDB fsyncs the new SST, the MANIFEST
 * and the directory), {@code syncWal()} with it.
 *
 * <h2>Full disk</h2>
 * A flush that fails for lack of space puts RocksDB into read-only mode ("hard error"), which RocksJava cannot
 * clear (it has no {@code DB::Resume}) and its automatic recovery did not clear either in tests (8 MiB freed on a
 * 48 MiB disk); without the WAL a reopen would lose the memtables. So before an apply or a sync lets a flush
 * happen, the engine checks that the disk has room for twice the memtables plus the batch plus 1 MiB, and refuses
 * with {@link io.cairn.backend.BackendException.DiskFull} otherwise: the batch stays buffered in the backend and
 * the call succeeds once space is freed. Once refused, it asks for 4 MiB more before it accepts again, so the few
 * MiB a finishing compaction releases by itself do not count as the disk being cleared (measured: up to 2.4 MiB
 * between two syncs). If RocksDB still hits a full disk (a compaction racing a flush), writes
 * fail until the process restarts; RocksDB then opens at its last flushed state and Cairn's WAL replays the rest.
 * On a nearly full disk RocksDB may also stall writes, its normal back-pressure, when compactions cannot run.
 *
 * <h2>Views and native memory</h2>
 * A view is a RocksDB snapshot ({@code db.getSnapshot()}) with read options pointing at it: opening one takes a
 * lock only to register it, and neither views nor applies wait for each other. A cursor is an iterator with
 * {@code iterate_lower_bound}/{@code iterate_upper_bound} set to the range (the bound slices are kept alive, and
 * closed, with the iterator); reverse cursors start with {@code seekToLast}, which lands below the upper bound.
 * Keys and values are copied out once per entry. A long-open view keeps the data it sees from being dropped by
 * compaction.
 *
 * <p>A native object used after it is freed crashes the JVM, so lifetimes are strict (see
 * {@link io.cairn.backend.rocksdb.RocksDbEngine}): every native call of a view or its cursors runs under the view's
 * monitor (uncontended: views are thread-confined); {@code close()} waits for apply, sync and defrag to leave
 * (a running defrag is cancelled), flushes, then closes every registered view's iterators, slices, read options and
 * snapshot under that monitor, then the DB, then the options, cache and filter. After that, closing a view or
 * cursor does nothing and any other call throws {@link io.cairn.backend.BackendException.Closed}. If the final flush
 * fails (full disk) close throws and leaves the engine open, since closing would lose applied batches.
 *
 * <h2>Defrag</h2>
 * {@code compactRange} over the whole key space with {@code bottommostLevelCompaction=kForceOptimized} (the last
 * level is rewritten too, so deletes and overwrites already there are dropped) and
 * {@code exclusiveManualCompaction=false}. It runs beside applies and background compactions,
 * {@code defragExcludesApply()} is false and the report says writes were not blocked. Measured here: 400,000
 * etcd-shaped entries (17-byte revision keys, random 256-byte values, 112 MB), 90 % deleted: 116 MB to 11 MB in
 * 0.25 s. Data an open view still sees is kept.
 *
 * <h2>Settings and tuning</h2>
 * <table>
 * <caption>Engine settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code rocksdb.wal}</td><td>false</td><td>write RocksDB's WAL too (see above).</td></tr>
 * <tr><td>{@code rocksdb.blockCacheMb}</td><td>256</td><td>LRU block cache, MiB (8-1048576). It also holds index
 * and filter blocks ({@code cache_index_and_filter_blocks}, high priority, L0's pinned), so memory stays bounded as
 * the data set outgrows RAM.</td></tr>
 * <tr><td>{@code rocksdb.writeBufferMb}</td><td>64</td><td>memtable size, MiB (4-4096), up to 3 memtables. A 10,000-op
 * batch of 256-byte values is under 3 MiB, so a memtable takes about 20 batches; bigger memtables mean fewer, larger
 * L0 files and more unflushed data for Cairn's WAL to replay.</td></tr>
 * <tr><td>{@code rocksdb.maxBackgroundJobs}</td><td>2</td><td>flush and compaction threads (2-64), sized for the
 * two cores this runs on.</td></tr>
 * <tr><td>{@code rocksdb.compression}</td><td>lz4+zstd</td><td>{@code lz4+zstd}: LZ4 on upper levels (cheap, data
 * there is short-lived) and ZSTD on the bottommost level, where most data ends up; or {@code lz4}, {@code zstd},
 * {@code none}. The bundled native library has both (checked: LZ4 and ZSTD open and flush).</td></tr>
 * <tr><td>{@code rocksdb.bloomBitsPerKey}</td><td>10</td><td>bloom filter bits per key (0-64, 0: none), about 1 %
 * false positives, for point gets (meta, lease, auth keys) that miss.</td></tr>
 * <tr><td>{@code rocksdb.blockSizeKb}</td><td>16</td><td>data block size, KiB (1-1024). etcd reads are mostly range
 * scans over adjacent revision keys: 16 KiB blocks quarter the index size and read-ahead cost against 4 KiB, at a
 * small cost to point gets.</td></tr>
 * </table>
 *
 * <p>Limits: an entry (key plus value) may be at most 256 MiB ({@code maxEntryBytes}); it is copied through JNI
 * into the write batch and a memtable, and entries far above the write buffer make giant L0 files.
 *
 * <p>Fixed choices: level compaction with {@code level_compaction_dynamic_level_bytes} (bounded space
 * amplification for a growing data set); {@code bytes_per_sync} 1 MiB so SST writes are flushed to disk
 * progressively rather than in one long fsync; {@code paranoid_checks} stays true (with it off, RocksDB skips the
 * consistency check of the SST files at open and, with the WAL off, a flush failing for space stalls writes
 * forever instead of failing them, which was measured); no prefix extractor (range bounds already limit
 * iterators to a bucket); RocksDB's diagnostic log is capped at five files of 8 MiB; the native library is loaded
 * with {@code RocksDB.loadLibrary()} (idempotent) on open.
 */
package io.cairn.backend.rocksdb;
