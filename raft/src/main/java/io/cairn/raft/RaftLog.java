package io.cairn.raft;

import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The raft log as raft sees it (etcd {@code raftLog}): persisted entries in {@link RaftStorage} followed by
 * {@link UnstableLog} entries the server has not persisted yet. Invariant: {@code applied <= committed <= lastIndex}.
 *
 * <pre>
 *   storage:  [firstIndex ........ storage.lastIndex]
 *   unstable:                 [offset ............. lastIndex]   (overrides storage where they overlap)
 * </pre>
 */
final class RaftLog {
    private final RaftStorage storage;
    private final UnstableLog unstable;
    private final long maxCommittedSizePerReadyBytes;
    private long committed;
    private long applied;

    RaftLog(RaftStorage storage, long maxCommittedSizePerReadyBytes) {
        this.storage = storage;
        this.maxCommittedSizePerReadyBytes = maxCommittedSizePerReadyBytes;
        long first = storage.firstIndex();
        this.unstable = new UnstableLog(storage.lastIndex() + 1);
        this.committed = first - 1;
        this.applied = first - 1;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    UnstableLog unstable() {
        return unstable;
    }

    /**
     * Appends {@code entries} from a leader's MsgApp whose previous entry is {@code (index, logTerm)}, truncating
     * a conflicting tail, and commits up to {@code leaderCommit}. Returns the last new index, or -1 if the log
     * does not contain {@code (index, logTerm)} (the append is rejected).
     */
    long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(index, logTerm)) {
            return -1;
        }
        long lastNewIndex = index + entries.size();
        long conflict = findConflict(entries);
        if (conflict != 0) {
            RaftInvariantException.check(conflict > committed,
                "entry %d conflict with committed entry [committed(%d)]", conflict, committed);
            int from = (int) (conflict - (index + 1));
            append(entries.subList(from, entries.size()));
        }
        commitTo(Math.min(leaderCommit, lastNewIndex));
        return lastNewIndex;
    }

    /** Appends entries after truncating anything at or after the first one; returns the new last index. */
    long append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return lastIndex();
        }
        long after = entries.get(0).getIndex() - 1;
        RaftInvariantException.check(after >= committed, "after(%d) is out of range [committed(%d)]", after,
            committed);
        unstable.truncateAndAppend(entries);
        return lastIndex();
    }

    /**
     * The index of the first entry whose term differs from (or is missing in) this log, or 0 if all of
     * {@code entries} are already here. {@code entries} must have contiguous indexes.
     */
    long findConflict(List<Entry> entries) {
        for (Entry entry : entries) {
            if (!matchTerm(entry.getIndex(), entry.getTerm())) {
                return entry.getIndex();
            }
        }
        return 0;
    }

    /**
     * Largest {@code (i, term(i))} with {@code i <= index} and {@code term(i) <= term}: where a leader whose log
     * has {@code term} at {@code index} should probe next (etcd {@code findConflictByTerm}, raft thesis 5.3's
     * fast backtracking). Returns {@code {index, term}}; the term is 0 when unknown.
     */
    long[] findConflictByTerm(long index, long term) {
        for (long i = index; i > 0; i--) {
            TermResult found = term(i);
            if (!found.isFound() || found.term() <= term) {
                return new long[] {i, found.termOrZero()};
            }
        }
        return new long[] {0, 0};
    }

    List<Entry> unstableEntries() {
        return unstable.entries();
    }

    /** Committed entries not yet applied, limited to {@code maxCommittedSizePerReadyBytes}. */
    List<Entry> nextCommittedEntries() {
        long offset = Math.max(applied + 1, firstIndex());
        if (committed + 1 > offset) {
            return slice(offset, committed + 1, maxCommittedSizePerReadyBytes);
        }
        return List.of();
    }

    boolean hasNextCommittedEntries() {
        return committed + 1 > Math.max(applied + 1, firstIndex());
    }

    boolean hasPendingSnapshot() {
        return unstable.snapshot() != null && unstable.snapshot().getMetadata().getIndex() != 0;
    }

    Snapshot snapshot() {
        return unstable.snapshot() != null ? unstable.snapshot() : storage.snapshot();
    }

    long firstIndex() {
        long first = unstable.maybeFirstIndex();
        return first >= 0 ? first : storage.firstIndex();
    }

    long lastIndex() {
        long last = unstable.maybeLastIndex();
        return last >= 0 ? last : storage.lastIndex();
    }

    long lastTerm() {
        TermResult last = term(lastIndex());
        RaftInvariantException.check(last.isFound(), "unexpected error when getting the last term (%s)", last);
        return last.term();
    }

    void commitTo(long index) {
        if (committed < index) {
            RaftInvariantException.check(index <= lastIndex(),
                "tocommit(%d) is out of range [lastIndex(%d)]. Was the raft log corrupted, truncated, or lost?",
                index, lastIndex());
            committed = index;
        }
    }

    void appliedTo(long index) {
        if (index == 0) {
            return;
        }
        RaftInvariantException.check(committed >= index && index >= applied,
            "applied(%d) is out of range [prevApplied(%d), committed(%d)]", index, applied, committed);
        applied = index;
    }

    void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    void stableSnapTo(long index) {
        unstable.stableSnapTo(index);
    }

    /** Term of entry {@code index}; valid for {@code [firstIndex() - 1, lastIndex()]}. */
    TermResult term(long index) {
        long dummyIndex = firstIndex() - 1;
        if (index < dummyIndex) {
            return TermResult.COMPACTED;
        }
        if (index > lastIndex()) {
            return TermResult.UNAVAILABLE;
        }
        long unstableTerm = unstable.maybeTerm(index);
        if (unstableTerm >= 0) {
            return TermResult.found(unstableTerm);
        }
        try {
            return TermResult.found(storage.term(index));
        } catch (CompactedException e) {
            return TermResult.COMPACTED;
        } catch (UnavailableException e) {
            return TermResult.UNAVAILABLE;
        }
    }

    /** Entries from {@code index} to the end, within {@code maxSizeBytes}; throws if {@code index} is compacted. */
    List<Entry> entries(long index, long maxSizeBytes) {
        if (index > lastIndex()) {
            return List.of();
        }
        return slice(index, lastIndex() + 1, maxSizeBytes);
    }

    List<Entry> allEntries() {
        return entries(firstIndex(), Long.MAX_VALUE);
    }

    /** Raft paper 5.4.1: a candidate's log {@code (lastIndex, term)} is at least as up-to-date as ours. */
    boolean isUpToDate(long candidateLastIndex, long candidateLastTerm) {
        return candidateLastTerm > lastTerm() || (candidateLastTerm == lastTerm() && candidateLastIndex >= lastIndex());
    }

    boolean matchTerm(long index, long term) {
        TermResult found = term(index);
        return found.isFound() && found.term() == term;
    }

    /** Commits {@code maxIndex} only if its entry is from {@code term} (raft paper 5.4.2). */
    boolean maybeCommit(long maxIndex, long term) {
        if (maxIndex > committed && term(maxIndex).termOrZero() == term) {
            commitTo(maxIndex);
            return true;
        }
        return false;
    }

    void restore(Snapshot snapshot) {
        committed = snapshot.getMetadata().getIndex();
        unstable.restore(snapshot);
    }

    /**
     * Entries in {@code [lo, hi)} within {@code maxSizeBytes} (at least one).
     *
     * @throws CompactedException if {@code lo} is compacted
     */
    List<Entry> slice(long lo, long hi, long maxSizeBytes) {
        checkOutOfBounds(lo, hi);
        if (lo == hi) {
            return List.of();
        }
        List<Entry> result = new ArrayList<>();
        if (lo < unstable.offset()) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, unstable.offset()), maxSizeBytes);
            result.addAll(stored);
            if (stored.size() < Math.min(hi, unstable.offset()) - lo) {
                return result;
            }
        }
        if (hi > unstable.offset()) {
            result.addAll(unstable.slice(Math.max(lo, unstable.offset()), hi));
        }
        return limitSize(result, maxSizeBytes);
    }

    private void checkOutOfBounds(long lo, long hi) {
        RaftInvariantException.check(lo <= hi, "invalid slice %d > %d", lo, hi);
        long first = firstIndex();
        if (lo < first) {
            throw new CompactedException(lo, first - 1);
        }
        long length = lastIndex() + 1 - first;
        RaftInvariantException.check(hi <= first + length, "slice[%d,%d) out of bound [%d,%d]", lo, hi, first,
            lastIndex());
    }

    /** The longest prefix of {@code entries} whose serialized size fits {@code maxSizeBytes}, never empty. */
    static List<Entry> limitSize(List<Entry> entries, long maxSizeBytes) {
        if (entries.isEmpty()) {
            return entries;
        }
        long size = entries.get(0).getSerializedSize();
        int limit = 1;
        while (limit < entries.size()) {
            size += entries.get(limit).getSerializedSize();
            if (size > maxSizeBytes) {
                break;
            }
            limit++;
        }
        return entries.subList(0, limit);
    }

    @Override
    public String toString() {
        return String.format("committed=%d, applied=%d, unstable.offset=%d, len(unstable.entries)=%d", committed,
            applied, unstable.offset(), unstable.entries().size());
    }
}
