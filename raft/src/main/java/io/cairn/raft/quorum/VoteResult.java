package io.cairn.raft.quorum;

/** Outcome of counting votes (etcd {@code quorum.VoteResult}). */
public enum VoteResult {
    /** Not decided yet: missing votes could still go either way. */
    PENDING,
    /** A quorum rejected. */
    LOST,
    /** A quorum granted. */
    WON
}
