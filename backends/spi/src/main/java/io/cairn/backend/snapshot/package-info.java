/**
 * Cairn's engine-independent snapshot stream and content hash.
 *
 * <p>Stream format (all integers big-endian; lengths as unsigned LEB128 varints):
 * <pre>
 *   magic    "CAIRNSN1"                       8 bytes
 *   repeat:  0x01 bucket  u16 nameLength, name (UTF-8)       buckets in name order, each non-empty
 *            0x02 entry   varint keyLength, key, varint valueLength, value   keys ascending
 *   end:     0x00         u64 entryCount
 *   trailer: SHA-256 of every byte before it  32 bytes
 * </pre>
 * A reader checks the magic, every length against {@link io.cairn.backend.snapshot.SnapshotReader#MAX_ENTRY_BYTES},
 * ordering, the entry count and the trailer; any failure is {@link io.cairn.backend.BackendException.Corrupted}.
 * Any engine restores a stream written by any other.
 */
package io.cairn.backend.snapshot;
