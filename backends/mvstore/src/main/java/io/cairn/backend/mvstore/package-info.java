/**
 * The {@code mvstore} engine: H2 MVStore 2.4.240, a copy-on-write B-tree store in one append-mostly file.
 *
 * <h2>Layout</h2>
 * One file, {@code cairn.mv.db}, in the backend directory. Each bucket is an {@code MVMap<byte[], byte[]>} named
 * {@code bucket.<name>} with {@link io.cairn.backend.mvstore.UnsignedBytesType} for keys and values (varint length
 * then bytes, ordered bytewise unsigned); buckets are listed from the store's map names. Maps are never removed, so
 * a bucket emptied by deletes is still listed (the spi filters empty buckets).
 *
 * <h2>Apply and crash safety</h2>
 * MVStore commits by writing one <em>chunk</em>: every page changed since the last commit, the new layout (map
 * roots, chunk table) and a footer, checksummed, in a single positional write. Between commits nothing reaches the
 * file. {@code apply} writes the batch into the maps and calls {@code commit()} once, so a batch is exactly one
 * chunk. Two MVStore defaults would break this and are switched off: the background writer thread
 * ({@code autoCommitDisabled()}, which would commit on a timer) and the unsaved-memory trigger
 * ({@code autoCommitBufferSize(0)}, which would commit from inside a {@code put} once about 19 MiB are unsaved,
 * that is in the middle of a large batch). With no background thread the write runs on the applying thread and has
 * been handed to the OS when {@code commit()} returns.
 *
 * <p>On open after a SIGKILL, MVStore reads the two header blocks, follows the chain of chunk headers from the one
 * they name, and keeps the newest chunk whose checksums hold and whose whole set of referenced chunks is valid: a
 * chunk torn by the kill fails its footer check and the store opens at the previous commit, i.e. after a prefix of
 * applies. The space of a dead chunk is reused only once the chunk is dead in every store version still
 * registered (the last synced version and the versions of open views, see below), so a commit never overwrites a
 * chunk that the last complete commit needs.
 *
 * <p>A failed write (disk full, I/O error) makes MVStore close itself ("panic"). The engine then reopens the file,
 * which lands on the last commit, so the failed batch leaves nothing behind, surfaces as
 * {@link io.cairn.backend.BackendException.DiskFull} or a generic backend error, and can be applied again later. If
 * the reopen fails too, the next call retries it. Views open on the discarded store fail their reads.
 *
 * <h2>Durability</h2>
 * No fsync per apply. {@code sync()} is {@code FileChannel.force(true)} on the store file plus an fsync of the
 * directory, and then registers ("pins") the version just made durable in place of the previous one. A clean
 * {@code close()} commits, writes the clean-shutdown header and fsyncs; open fsyncs too, so what it found is
 * durable. Dead chunk space is reused with no retention delay (MVStore's default is to wait 45 s and hope the OS has
 * written back by then); the pin is what makes that safe: no chunk the last durable version needs is overwritten
 * before the next fsync, so after a power loss the store opens at the last synced version or a later complete one,
 * never at a torn mixture. The price is that space freed since the last sync is not reused yet, so an apply also
 * syncs once the last fsync is older than {@code mvstore.autoSyncMs} (default 1 s), bounding that space to about a
 * second of writes whatever the server's sync cadence.
 *
 * <h2>Views</h2>
 * After each apply the engine captures the root of every map (an immutable
 * {@link org.h2.mvstore.RootReference}; pages are copy-on-write) and registers that store version with MVStore
 * ({@code registerVersionUsage}), so no chunk those roots reach is reused while the version is registered. That
 * {@link io.cairn.backend.mvstore.PinnedVersion} is reference counted: the engine holds it until the next apply
 * replaces it, each view holds it until closed. Opening a view is a volatile read plus a CAS; reads walk the captured
 * roots without locks, so views and applies never wait for each other, and one version serves every bucket, so a
 * view is consistent across buckets. The cost of a long-open view is space: the chunks it reaches, and every chunk
 * that died after it (MVStore frees dead chunks in order), stay allocated until it closes. Values and keys handed
 * out are copies.
 *
 * <p>Thread interrupts: a JDK file channel closes itself when a thread blocked in it is interrupted, which would
 * make MVStore panic for every reader. The file is opened through
 * {@link io.cairn.backend.mvstore.UninterruptibleFilePath}, which turns that off (needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, as the rest of Cairn does).
 *
 * <h2>Defrag</h2>
 * {@code defragExcludesApply()} is true and {@code DefragReport.blockedWrites()} is true: MVStore compaction rewrites
 * pages into the live maps and commits, which would persist half a batch if it ran during an apply. Writers keep
 * buffering meanwhile. Defrag rewrites live pages out of old chunks in 16 MiB steps (each a commit, an fsync and a
 * move of both engine pins, so nothing of the engine's own holds the emptied chunks and the heap holds at most a
 * step), at most as many bytes as were live at the start, then frees dead chunks, moves the remaining chunks to the
 * front ({@code RandomAccessStore.compactMoveChunks}, which fsyncs around its moves) and truncates the file. Chunks
 * pinned by views still open are not reclaimed. Measured here: 400,000 etcd-shaped entries (112 MB file), 90 %
 * deleted: 124 MB to 12 MB in about 0.2 s; a fully live 112 MB store is rewritten in about 1.6 s.
 *
 * <h2>Settings and tuning</h2>
 * <table>
 * <caption>Engine settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code mvstore.cacheSizeMb}</td><td>64</td><td>page cache (LIRS, on heap), MiB, 1-65536. MVStore's
 * default is 16; 64 holds the upper levels of a multi-GB tree plus the hot tail of the revision keyspace without
 * a large share of a server heap. Pages larger than 1/16 of a cache segment are not cached.</td></tr>
 * <tr><td>{@code mvstore.compress}</td><td>none</td><td>{@code none}, {@code fast} (LZF) or {@code high} (Deflate)
 * page compression. Off by default: etcd values are often random or already encoded, and the CPU is better spent
 * on the two cores' other work; turn it on for text-like values.</td></tr>
 * <tr><td>{@code mvstore.keysPerPage}</td><td>48</td><td>B-tree fan-out, 4-1024 (pages also split at 16 KiB). With
 * 17-byte revision keys and 256-byte values a full leaf is about 13 KiB, close to the split size.</td></tr>
 * <tr><td>{@code mvstore.autoSyncMs}</td><td>1000</td><td>an apply also fsyncs when the last fsync is older than
 * this, ms, 0-3600000; 0: only explicit syncs (dead space then waits for the server's next sync).</td></tr>
 * <tr><td>{@code mvstore.autoCompactFillRate}</td><td>80</td><td>after an apply, when the live share of the
 * rewritable chunks (live, not the newest) is below this percentage (0-99), rewrite at most 4 MiB of live data from
 * the emptiest chunks and commit again, so space comes back without a defrag. 0 turns it off (space then returns
 * only when whole chunks die, or by defrag). Each commit is a chunk and keeps whatever of it stays live, so small
 * batches leave many partly live chunks: measured with 50-key batches, 50 gives about 2x the live bytes on disk,
 * 80 about 1.35x at no visible throughput cost (MVStore's own housekeeping aims at 81 while busy).</td></tr>
 * </table>
 *
 * <p>Limits: an entry (key plus value) may be at most 64 MiB ({@code maxEntryBytes}). A whole commit is serialised
 * into one heap buffer before it is written, which cannot exceed 2 GiB, so a single batch must stay below about
 * 1 GiB of changed pages; etcd-shaped batches (10,000 writes of a few hundred bytes) are a few MiB.
 *
 * <p>Fixed choices: {@code versionsToKeep} is 0 (MVStore otherwise keeps 5 old versions' chunks; our views and
 * the durable pin register the versions they need) and the retention time is 0 (see durability); the background
 * thread is off, so the serialisation and save executors do not exist and a commit runs entirely on the applying
 * thread.
 */
package io.cairn.backend.mvstore;
