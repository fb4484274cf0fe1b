/**
 * The {@code mapdb} engine: MapDB 3.1 B-trees with point-in-time views built by the engine (MVCC by pre-images)
 * and a redo journal that makes each commit atomic. Owns the engine SPI implementation for MapDB; imports only
 * {@code io.cairn.backend} (spi) and MapDB.
 *
 * <h2>Files in the data directory</h2>
 * <ul>
 *   <li>{@code mapdb.db}: the MapDB store (StoreWAL format = StoreDirect format), one {@code BTreeMap} per bucket
 *       (catalog name = bucket name) and the {@code cairn.liveBytes} counter.</li>
 *   <li>{@code mapdb.journal}: this engine's redo journal (see {@link io.cairn.backend.mapdb.Journal}); empty after
 *       every checkpoint.</li>
 *   <li>{@code mapdb.db.wal.N}: MapDB's spill files for the transaction in progress (deleted at each commit and on
 *       open); {@code mapdb.db.init}, {@code mapdb.db.compact}: a creation or defrag in progress (deleted on open).
 *       </li>
 * </ul>
 *
 * <h2>What MapDB 3.1.0 does and does not do (read from its bytecode)</h2>
 * <ul>
 *   <li>No snapshots: StoreWAL's uncommitted writes are visible to every reader. Views are built here.</li>
 *   <li>{@code StoreWAL.commit()} writes the WAL, fsyncs it twice, then copies the transaction into the store file
 *       and fsyncs that, but <b>nothing ever replays the WAL</b> ({@code WriteAheadLog.replayWAL} has no caller, and
 *       index values are not even logged). A kill during the copy leaves a torn store. Its fsyncs give durability
 *       but not atomicity. So the engine builds the StoreWAL itself with a volume that journals the copy first
 *       ({@link io.cairn.backend.mapdb.JournaledVolume}), and MapDB's own WAL files never reach the disk
 *       synchronously (their {@code sync} is a no-op: they are spill space, not a log).</li>
 *   <li>{@code StoreWAL.compact()} is an empty method and no store ever shrinks its file: defrag copies into a
 *       fresh file ({@link io.cairn.backend.mapdb.Compactor}).</li>
 *   <li>{@code FileChannelVol.writeFully} retries a short write <i>at the original offset</i>: near a full disk it
 *       silently scrambles records. The engine writes the store file through its own channel and uses
 *       {@code RandomAccessFileVol} (complete writes or an exception) for spill files, new stores and defrag copies.
 *       </li>
 *   <li>{@code Serializer.BYTE_ARRAY} compares bytewise unsigned ({@code & 0xFF}), shorter prefix first, and its
 *       node search uses the same comparator: it is the contract's order. Keys use {@code BYTE_ARRAY_DELTA} (same
 *       order, prefix-compressed nodes: 17-byte revision keys share most of their bytes).</li>
 *   <li>{@code org.mapdb.CC} initialises {@code net.jpountz.xxhash} statically: MapDB cannot load without it. The
 *       root pom excludes {@code net.jpountz.lz4:lz4}, so this module adds {@code at.yawk.lz4:lz4-java} 1.13.0 (same
 *       packages, maintained, no clash). Kotlin 1.9.25, eclipse-collections 11.1.0 (outside MapDB's declared
 *       {@code [7,10.10.90)}, but it runs) and guava 33.4.8 from the root pom resolve and work.</li>
 *   <li>DBMaker creates StoreWAL with the header checksum off and StoreDirect with it on; the engine turns it on
 *       so files from both open each other.</li>
 * </ul>
 *
 * <h2>Views: MVCC by pre-images</h2>
 * The engine keeps an epoch counter ({@link io.cairn.backend.mapdb.Epochs}). {@code apply} (one caller at a time)
 * with current epoch {@code e}:
 * <ol>
 *   <li>builds an {@link io.cairn.backend.mapdb.UndoLog} tagged {@code e+1}: for every key of the batch its
 *       current value, or ABSENT (keys past a bucket's last key are ABSENT without a lookup: the etcd append pattern
 *       costs one lookup per bucket);</li>
 *   <li>registers the log (volatile publication) <b>before</b> touching any map;</li>
 *   <li>writes the batch into the maps, commits (journal, then store file);</li>
 *   <li>publishes epoch {@code e+1}; drops logs no view needs.</li>
 * </ol>
 * A view registers at the published epoch {@code v} and reads a key as: the live B-tree value first, then the
 * pre-image from the <i>oldest</i> registered log with tag {@code > v} that has the key (ABSENT: not found); if no
 * such log has it, the live value.
 *
 * <p>Why that is the value at epoch {@code v}: the live read happens after epoch {@code v} was published, so it
 * sees every apply up to {@code v}. If some apply {@code t > v} wrote the key before the live read observed it, its
 * log was registered before that write, so the log scan (which comes after the live read) finds it, and the oldest
 * such log holds the value the key had before the first apply after {@code v}, i.e. at {@code v}. If no log with tag
 * {@code > v} has the key at scan time, no apply after {@code v} had written it when the live read ran (logs precede
 * writes), so the live value is the value at {@code v}. Reading the logs first would be wrong: a log registered
 * between the two reads would be missed while its write is seen. A view opened while an apply is in flight reads the
 * old epoch, so it uses the in-flight log as well: it sees the pre-apply state, as the SPI requires. A view opened
 * after {@code apply} returned reads the new epoch.
 *
 * <p>Cursors ({@link io.cairn.backend.mapdb.MergeCursor}) fetch the live range in chunks (16 entries, doubling to
 * 1024; one short lifecycle read-lock per chunk, nothing held between chunks), then merge the keys of the newer logs
 * in the same key interval (pre-images override, ABSENT hides, pre-images of deleted keys reappear), forward or
 * reverse. The argument above holds per key, and every key of the interval is either in the live chunk or in a
 * visible log, because MapDB's B-link tree iterators are weakly consistent (keys present throughout the fetch are
 * returned; nodes never merge; reads take no tree locks).
 *
 * <p>Log collection: a log with tag {@code t} is needed only by views with epoch {@code < t}. The collector reads
 * the published epoch <i>first</i>, then the oldest open view, and drops tags at or below the minimum. A view
 * registers its ticket, then re-reads the epoch and retries if it moved: if a collector read an epoch above the
 * view's, it read it after the view's re-check, hence after the ticket was added, so it saw the ticket. Collection
 * runs after each apply and when a view closes. <b>Views must be closed</b>: an unclosed view keeps every log newer
 * than it (memory grows with the pre-images of every key written since) and every large-value record those applies
 * replaced; nothing reclaims them until it is closed.
 *
 * <p>Large values (longer than {@code inlineValueBytes}) live in their own MapDB record; the node holds its id. An
 * apply that replaces or deletes such a value frees the old record only in a later apply, once no open view
 * predates the replacing apply: an older view may have read the old id from the live tree before the apply and
 * resolve it after. Records freed by a commit that then fails leak until the next defrag (never freed twice).
 *
 * <h2>Atomicity and durability</h2>
 * Each MapDB commit writes the store file only at its end, under all MapDB segment locks; the journal volume holds
 * those writes, appends them as one CRC-checked record to {@code mapdb.journal}, then writes them in place. On open,
 * complete records are replayed in order (idempotent: same bytes, same order, nothing older than the last
 * checkpoint) and a torn tail is ignored. Store growth is written as real zeros, so the in-place writes after a
 * complete record never need new blocks.
 * <ul>
 *   <li>{@code apply}: atomic under SIGKILL at any moment (journal record incomplete: nothing happened; complete:
 *       rolled forward). With {@code journalSync=true} (default) the record is fsynced before the in-place writes
 *       (one fsync per apply, the store file is not fsynced), which also makes applies atomic and durable across
 *       power loss. With {@code journalSync=false} there is no fsync per apply: still SIGKILL-atomic, but a power
 *       loss between checkpoints can tear the store (the server WAL cannot repair that): use only on disposable
 *       data.</li>
 *   <li>{@code sync()}: a checkpoint: fsync the store file, then empty the journal (truncate + fsync). A
 *       checkpoint also runs when the journal reaches {@code checkpointBytes}. Afterwards every applied batch is
 *       durable.</li>
 *   <li>{@code close()}: checkpoint, then close: everything applied is kept.</li>
 *   <li>A failed apply (e.g. {@code DiskFull}) reopens the files: the batch is then entirely absent or entirely
 *       present (rolled forward), the epoch is still published (the undo log is right either way) and the SPI may
 *       retry the batch. If the reopen fails as well, reads fail with the cause and the next apply/sync/defrag
 *       tries again. Disk full is reported as {@code DiskFull}, unreadable files on open as {@code Corrupted}.</li>
 * </ul>
 *
 * <h2>Concurrency and what blocks what</h2>
 * Lock order: apply lock (apply, sync, defrag, close) before the lifecycle lock. Readers hold the lifecycle read
 * lock for one MapDB call or chunk; its write lock is taken only to swap the store (defrag, failed apply) and to
 * close, so no reader ever touches a closed MapDB (after close, view and cursor use throws
 * {@code BackendException.Closed}; closing them is a no-op). Views never block apply. MapDB itself blocks readers
 * during the end of a commit (StoreWAL holds all segment write locks while the journal record is written and
 * fsynced and the store file is updated): a few milliseconds per apply, never longer than one commit. Every volume
 * call runs with the thread's interrupt flag cleared, so an interrupted reader does not close MapDB's file channel.
 *
 * <h2>Defrag</h2>
 * {@code defragExcludesApply() == true}. Under the apply lock (commits wait; views keep reading the old file) every
 * bucket is streamed in key order into MapDB's bulk loader in {@code mapdb.db.compact} (StoreDirect, no
 * transactions, full nodes), the file is fsynced; then, under the lifecycle write lock (readers wait briefly), the
 * old store is checkpointed (journal empty) and closed, the copy is renamed over it atomically, the directory
 * fsynced, and the store reopened. A crash before the rename leaves the old store (the copy is deleted on open); the
 * journal is empty at the rename, so no stale record can be replayed onto the new file. Views stay valid: the undo
 * logs are logical.
 *
 * <h2>Settings (engine settings map; unknown keys are refused)</h2>
 * <table>
 *   <caption>Engine settings</caption>
 *   <tr><th>key</th><th>default</th><th>range</th><th>meaning</th></tr>
 *   <tr><td>{@code volume}</td><td>{@code filechannel}</td><td>{@code filechannel}, {@code raf}, {@code mmap}</td>
 *       <td>How MapDB reads the store file. {@code filechannel}: positional reads, concurrent (default).
 *       {@code raf}: RandomAccessFile, reads serialised on one lock. {@code mmap}: fastest reads; SIGKILL-safe
 *       (writes go through the journal and a file channel; the mapping only reads), unmapped on close after all
 *       readers left (lifecycle lock); growth is pre-written so a full disk fails as an exception, but a file
 *       shrunk by someone else, or I/O errors on mapped pages, crash the JVM with SIGBUS.</td></tr>
 *   <tr><td>{@code maxNodeSize}</td><td>32</td><td>8..1024</td><td>Entries per B-tree node. 32 keeps a node of
 *       17-byte keys and 256-byte values near 9 KiB; measured here, 16 doubles scan time and 64/128 slow inserts
 *       (each insert rewrites its whole leaf into the spill file).</td></tr>
 *   <tr><td>{@code journalSync}</td><td>{@code true}</td><td>true, false</td><td>fsync the journal record on every
 *       apply (see above).</td></tr>
 *   <tr><td>{@code checkpointBytes}</td><td>67108864 (64 MiB)</td><td>1 MiB..16 GiB</td><td>Journal size that
 *       triggers a checkpoint inside an apply; bounds the journal and replay time.</td></tr>
 *   <tr><td>{@code inlineValueBytes}</td><td>1024</td><td>0..65536</td><td>Longer values get their own record, so
 *       nodes stay small (etcd's 256-byte values stay inline; a 1.5 MiB value no longer makes every neighbouring
 *       insert rewrite megabytes).</td></tr>
 * </table>
 *
 * <p>Other fixed choices: MapDB's default 8 store segments; 1 MiB file growth; no MapDB compression or checksums
 * (the journal CRCs protect what matters for atomicity); no MapDB executors or shutdown hooks. Measured here
 * (2 shared cores): about 10-20 k inserts/s of 17-byte keys and 256-byte values in 10,000-write batches.
 */
package io.cairn.backend.mapdb;
