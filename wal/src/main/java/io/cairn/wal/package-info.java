/**
 * Write-ahead log and snapshot files of a member: durable (index, term, bytes) records, knowing no Raft rule.
 * Owns {@code <data-dir>/member/wal/} and {@code <data-dir>/member/snap/}; may import the JDK, protobuf and
 * itself only (enforced by {@code ArchitectureTest}); every file operation goes through {@link io.cairn.wal.WalFiles}.
 *
 * <h2>Segments</h2>
 * The log is a sequence of segment files named {@code %016x-%016x.wal} (sequence number, raft index of the first
 * entry the segment may hold), e.g. {@code 0000000000000000-0000000000000000.wal},
 * {@code 0000000000000001-00000000000021c5.wal}. Sequence numbers increase by one without gaps. A save whose
 * records would not fit into the tail segment ({@link io.cairn.wal.WalOptions#segmentSizeBytes()}, 64 MiB) first
 * <em>cuts</em>: the new segment is written into the temporary file {@code prepared.wal.tmp} (header and the
 * save's records), synced, renamed to its final name and the directory synced; the old tail is truncated after
 * its last record. A crash before the rename leaves only a {@code .wal.tmp} file, deleted on the next writable
 * open. A single save larger than a segment
 * gets a segment of its own. The index in a new segment's name is
 * {@code min(first index of the save, last index written + 1)}, so the segment that
 * {@link io.cairn.wal.WalReader} picks for a snapshot index (the last one whose name index is {@code <=} it) holds
 * that snapshot's marker record and every later entry.
 *
 * <p><b>Preallocation</b> ({@link io.cairn.wal.WalOptions#preallocate()}): every segment file is zero-filled to
 * the segment size and synced <em>before</em> it receives its first record, so a save's write lands on zeros
 * (what lets a reader find the end, and a torn write be told from corruption) and its fdatasync carries the
 * records only: no zeros, no file-size change, no block allocation (real blocks, not fallocate's unwritten
 * extents, so nothing to convert either). Like etcd's filePipeline, the file of the next segment
 * ({@code prepared.wal.tmp}) is prepared ahead on {@link io.cairn.wal.WalContext#executor()} while the tail
 * fills, so a cut only writes and syncs the new segment's header and the save; create prepares the first
 * segment before returning, and a writable open zero-fills the rest of the tail once. Without preallocation
 * files grow with each write.

 * <h2>Frames and records (etcd's wal/doc.go, byte for byte)</h2>
 * <pre>
 *   frame  = length word (8 bytes, little-endian) | record (length bytes) | zero padding (0..7 bytes)
 *   length word: bits 0..55 record length; when the record length is not a multiple of 8, bit 63 is set and
 *                bits 56..58 hold the padding count, so every frame, and every length word, is 8-byte aligned
 *                (a length word never straddles a sector and is never torn). A zero word ends the segment.
 *   record = walpb.Record { int64 type = 1; uint32 crc = 2; bytes data = 3 }
 * </pre>
 * Record types, each written with its data as shown:
 * <pre>
 *   1 metadata  opaque bytes fixed at create (the server stores etcdserverpb.Metadata{NodeID, ClusterID})
 *   2 entry     an encoded raftpb.Entry; the WAL reads Term (field 2) and Index (field 3) itself
 *   3 state     an encoded raftpb.HardState, opaque here
 *   4 crc       no data field; crc = the running CRC when the segment was started
 *   5 snapshot  walpb.Snapshot { index, term, conf_state (bytes) } marking a snapshot the log was cut at
 * </pre>
 * Every record is written in this canonical encoding (fields in number order, minimal varints, data only when
 * present), and a reader requires it: bits that protobuf parsing would ignore, such as the spare high bits of the
 * crc varint, cannot hide damage.
 *
 * <p><b>CRC chain.</b> One CRC-32C (Castagnoli) runs over the data of every non-crc record of the log in order,
 * across segments; each record stores the running value after its own data, so a record's CRC covers all data
 * before it. Every segment starts with a crc record holding the running value so far (0 for the first segment),
 * then the metadata and the latest state record; the first segment instead holds crc, metadata and an empty
 * snapshot marker (index 0, term 0). A reader seeds its chain from the first crc record it reads and checks every
 * later crc record against its running value, so records missing at the end of a segment are caught at the start
 * of the next one. The type field is not covered by the CRC (etcd's format): a damaged type byte is caught only by
 * its consequences (unknown type, metadata conflict, a gap in entry indexes).
 *
 * <h2>Reading</h2>
 * {@link io.cairn.wal.WalReader} opens the segments from the one holding a given snapshot marker and replays them:
 * later entries with an index {@code <=} an earlier one replace the tail (Raft log overwrite), a later metadata
 * record must equal the first, the last state wins. The last segment may end with a <em>torn tail</em>, repaired
 * by a writable open (zeroed or truncated, synced, logged) and reported by a read-only one:
 * <ul>
 *   <li>the file ends inside a length word or a frame (a non-preallocated file cut by a crash; a partial length
 *       word of zeros is just the end), or</li>
 *   <li>a record that fails its CRC or does not parse contains a 512-byte sector chunk that is all zero
 *       (a write that reached the disk only in part: etcd's rule, assuming sector writes are atomic).</li>
 * </ul>
 * Anything else is <em>corruption</em>, reported by {@link io.cairn.wal.WalCorruptionException} with segment, frame
 * offset and, for CRC mismatches, the stored and computed CRC, and never skipped: a bad length word (flags,
 * alignment, zero or above {@link io.cairn.wal.WalOptions#maxRecordBytes()}), a CRC mismatch or unparsable record
 * without a zero sector, non-zero padding, a segment not starting with a crc record, a crc record that breaks the
 * chain, an unknown record type, a gap in entry indexes, conflicting metadata, and any of these in a segment
 * other than the last. Beyond etcd, a would-be torn frame whose bytes contain another plausible frame is
 * corruption, not a torn tail: that is the mark of a damaged length word in the middle of the log, which etcd
 * would silently truncate. The decoder allocates at most one frame, bounded by {@code maxRecordBytes} and by the
 * bytes left in the file, whatever the input.
 *
 * <p>Known limit (shared with etcd): the last segment cannot tell a torn final write from a damaged final record
 * that happens to contain a zero sector; the WAL keeps no separate "synced up to" mark.
 *
 * <h2>Writing</h2>
 * {@link io.cairn.wal.SegmentedWal#save} encodes a whole batch (entries, then the state) into one buffer, writes it
 * with one positional write and syncs once ({@code FileChannel.force(false)}, i.e. fdatasync); the server batches
 * many proposals into one call (group commit). The caller may skip the sync of a save (etcd's
 * {@code raft.MustSync}: a state whose commit index alone moved); its records reach the disk with the next sync
 * (the next synced save, a snapshot marker, a cut, which syncs the old tail first, or close) and a crash before
 * that leaves them lost or torn, like any unsynced tail. Directory syncs happen only on create, cut and release.
 * A failed write or sync makes the WAL unusable (the page cache state after a failed fsync is unknown). One process
 * holds the WAL: {@code wal.lock} in the WAL directory is locked with {@code FileChannel.tryLock} for the life of a
 * writable WAL; read-only readers (dump-logs) take no lock.
 *
 * <h2>Snapshot files</h2>
 * {@link io.cairn.wal.Snapshotter} keeps {@code snap/%016x-%016x.snap} (term, index): an etcd snappb.snapshot
 * {@code {crc, data}} whose data is a raftpb.Snapshot (metadata: conf state, index, term; data: small opaque
 * bytes), and the backend images {@code snap/%016x.snap.db} (index), each written to a temporary file, synced,
 * renamed and the directory synced. The newest readable {@code .snap} wins; a broken one is skipped with a warning
 * (and renamed to {@code .broken} when writable, like etcd).
 *
 * <p>Nothing here is thread-safe: a {@link io.cairn.wal.SegmentedWal} belongs to the one thread that owns the
 * Raft loop; the only work it hands to another thread, through the injected executor, is preparing the next
 * segment file and deleting released ones. Time is read only through the injected
 * {@link io.cairn.wal.NanoClock} (sync durations).
 */
package io.cairn.wal;
