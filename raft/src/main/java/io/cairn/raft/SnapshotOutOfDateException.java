package io.cairn.raft;

/** A snapshot older than the storage's current one was offered (etcd {@code ErrSnapOutOfDate}). */
public final class SnapshotOutOfDateException extends RaftStorageException {
    private static final long serialVersionUID = 1L;

    public SnapshotOutOfDateException(long offeredIndex, long currentIndex) {
        super("raft: snapshot at " + offeredIndex + " is older than the existing snapshot at " + currentIndex);
    }
}
