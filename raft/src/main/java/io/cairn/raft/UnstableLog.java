package io.cairn.raft;

import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries (and at most one snapshot) not yet persisted by the server (etcd {@code unstable}). {@code entries.get(i)}
 * has index {@code offset + i}; a pending snapshot, if any, ends at {@code offset - 1}.
 */
final class UnstableLog {
    private Snapshot snapshot;
    private List<Entry> entries = new ArrayList<>();
    private long offset;

    UnstableLog(long offset) {
        this.offset = offset;
    }

    long offset() {
        return offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** First index if a snapshot is pending (the storage knows better otherwise), else -1. */
    long maybeFirstIndex() {
        return snapshot == null ? -1 : snapshot.getMetadata().getIndex() + 1;
    }

    /** Last index if there are unstable entries or a pending snapshot, else -1. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot == null ? -1 : snapshot.getMetadata().getIndex();
    }

    /** Term of entry {@code index} if this log knows it, else -1. */
    long maybeTerm(long index) {
        if (index < offset) {
            if (snapshot != null && snapshot.getMetadata().getIndex() == index) {
                return snapshot.getMetadata().getTerm();
            }
            return -1;
        }
        long last = maybeLastIndex();
        if (last < 0 || index > last) {
            return -1;
        }
        return entries.get((int) (index - offset)).getTerm();
    }

    /** The server persisted entries up to {@code index} with {@code term}; drop them unless overwritten since. */
    void stableTo(long index, long term) {
        long known = maybeTerm(index);
        if (known == term && index >= offset) {
            entries = new ArrayList<>(entries.subList((int) (index + 1 - offset), entries.size()));
            offset = index + 1;
        }
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.getMetadata().getIndex() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot snap) {
        offset = snap.getMetadata().getIndex() + 1;
        entries = new ArrayList<>();
        snapshot = snap;
    }

    /** Appends {@code newEntries}, replacing any entries at or after {@code newEntries.get(0).getIndex()}. */
    void truncateAndAppend(List<Entry> newEntries) {
        long after = newEntries.get(0).getIndex();
        if (after == offset + entries.size()) {
            entries.addAll(newEntries);
        } else if (after <= offset) {
            offset = after;
            entries = new ArrayList<>(newEntries);
        } else {
            List<Entry> kept = new ArrayList<>(slice(offset, after));
            kept.addAll(newEntries);
            entries = kept;
        }
    }

    /** Entries in {@code [lo, hi)}; the range must lie within this log. */
    List<Entry> slice(long lo, long hi) {
        long upper = offset + entries.size();
        RaftInvariantException.check(lo <= hi, "invalid unstable.slice %d > %d", lo, hi);
        RaftInvariantException.check(lo >= offset && hi <= upper, "unstable.slice[%d,%d) out of bound [%d,%d]",
            lo, hi, offset, upper);
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
