package io.cairn.raft;

/** How a leader confirms it is still leader before answering a ReadIndex request (etcd {@code ReadOnlyOption}). */
public enum ReadOnlyOption {
    /** Confirm with a heartbeat round acknowledged by a quorum (linearizable, costs one round trip). */
    SAFE,
    /** Trust the leader lease kept by CheckQuorum (no round trip; relies on bounded clock drift). */
    LEASE_BASED
}
