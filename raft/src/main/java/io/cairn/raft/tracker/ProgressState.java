package io.cairn.raft.tracker;

/** How the leader is currently sending to a follower (etcd {@code StateType}). */
public enum ProgressState {
    /**
     * The leader does not know where the follower's log ends: one append per heartbeat interval until an ack
     * reveals the match index.
     */
    PROBE,
    /** The follower accepts appends: the leader streams them optimistically, bounded by {@link Inflights}. */
    REPLICATE,
    /** The follower needs a snapshot (its next entry is compacted); appends pause until it reports back. */
    SNAPSHOT
}
