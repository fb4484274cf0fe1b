package io.cairn.raft;

import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Snapshot;
import java.util.List;

/**
 * The persisted part of the raft log, read-only to raft (etcd {@code Storage}). The server writes to it after it
 * has persisted a {@link Ready}; raft reads it from the same thread. The log covers {@code [firstIndex(), lastIndex()]}
 * plus a "dummy" position {@code firstIndex() - 1} whose term is still known (the last compacted or snapshot entry).
 */
public interface RaftStorage {

    /** Persisted hard state and membership, read once when a node starts. */
    record InitialState(HardState hardState, ConfState confState) {
    }

    InitialState initialState();

    /**
     * Entries in {@code [lo, hi)}, at least one if the range is non-empty, then as many as fit in
     * {@code maxSizeBytes} (sum of serialized sizes). The returned list is immutable.
     *
     * @throws CompactedException if {@code lo <= firstIndex() - 1}
     * @throws UnavailableException if {@code hi > lastIndex() + 1}
     */
    List<Entry> entries(long lo, long hi, long maxSizeBytes);

    /**
     * The term of entry {@code index}, valid for {@code [firstIndex() - 1, lastIndex()]}.
     *
     * @throws CompactedException if {@code index < firstIndex() - 1}
     * @throws UnavailableException if {@code index > lastIndex()}
     */
    long term(long index);

    /** Index of the first entry still available (snapshot index + 1). */
    long firstIndex();

    /** Index of the last entry; {@code firstIndex() - 1} when the log is empty. */
    long lastIndex();

    /** The most recent snapshot (may have index 0 when none was taken). */
    Snapshot snapshot();
}
