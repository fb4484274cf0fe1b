package io.cairn.raft;

/** Failures of reading the raft log from {@link RaftStorage}; the sealed family raft understands. */
public abstract sealed class RaftStorageException extends RuntimeException
    permits CompactedException, UnavailableException, SnapshotOutOfDateException {
    private static final long serialVersionUID = 1L;

    RaftStorageException(String message) {
        super(message);
    }
}
