package io.cairn.raft;

/** The requested index is beyond the last index in storage (etcd {@code ErrUnavailable}). */
public final class UnavailableException extends RaftStorageException {
    private static final long serialVersionUID = 1L;
    private final long requestedIndex;
    private final long lastIndex;

    public UnavailableException(long requestedIndex, long lastIndex) {
        super("raft: requested index " + requestedIndex + " is unavailable, last index is " + lastIndex);
        this.requestedIndex = requestedIndex;
        this.lastIndex = lastIndex;
    }

    public long requestedIndex() {
        return requestedIndex;
    }

    public long lastIndex() {
        return lastIndex;
    }
}
