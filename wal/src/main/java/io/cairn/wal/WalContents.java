package io.cairn.wal;

import java.util.List;
import java.util.Optional;

/**
 * What a replay of the WAL found after a snapshot marker. Arrays and the list are not copied and must not be
 * changed.
 *
 * @param metadata the metadata record (the same in every segment), empty when none was read
 * @param hardState the last state record (an encoded raftpb.HardState), empty when none was read
 * @param entries entries after the marker's index, in index order, later writes replacing earlier ones
 * @param lastIndex index of the last entry or marker read, also at or below the marker (0 when none)
 * @param snapshotFound whether a marker with the start's index (and term) was read
 * @param tornTail the torn tail of the last segment, cut off by a writable open
 * @param problem in {@link ReadMode#REPORT} modes, why reading stopped early or the marker's term differed
 * @param crcErrors records read past a CRC mismatch ({@link ReadMode#CONTINUE_PAST_CRC_ERRORS} only)
 */
public record WalContents(byte[] metadata, byte[] hardState, List<WalEntry> entries, long lastIndex,
                          boolean snapshotFound, Optional<TornTail> tornTail, Optional<WalException> problem,
                          int crcErrors) {
}
