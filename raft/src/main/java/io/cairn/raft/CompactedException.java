package io.cairn.raft;

/** The requested index is at or below the compaction point (etcd {@code ErrCompacted}). */
public final class CompactedException extends RaftStorageException {
    private static final long serialVersionUID = 1L;
    private final long requestedIndex;
    private final long compactedIndex;

    public CompactedException(long requestedIndex, long compactedIndex) {
        super("raft: requested index " + requestedIndex + " is unavailable due to compaction at " + compactedIndex);
        this.requestedIndex = requestedIndex;
        this.compactedIndex = compactedIndex;
    }

    public long requestedIndex() {
        return requestedIndex;
    }

    public long compactedIndex() {
        return compactedIndex;
    }
}
