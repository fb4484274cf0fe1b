package io.cairn.raft;

/**
 * What happened to an input. Proposals can be dropped, which is an expected outcome the caller must handle
 * (retry later or fail the client request), not an exception (etcd returns {@code ErrProposalDropped}).
 */
public enum StepResult {
    /** Accepted (appended by the leader, or handled). Acceptance is not commitment. */
    OK,
    /** A follower forwarded the proposal to the leader; it may still be lost. */
    FORWARDED,
    /** No leader is known (follower without leader, or candidate). */
    DROPPED_NO_LEADER,
    /** The leader is transferring leadership. */
    DROPPED_LEADER_TRANSFER,
    /** The leader is not a voter any more (removed or demoted): it is handing leadership over. */
    DROPPED_NOT_MEMBER,
    /**
     * The leader refused a membership change: another one may still be unapplied, the configuration is joint (only
     * the empty change that leaves it is accepted), or it is an empty change outside a joint configuration. Like
     * etcd, the refused entry is replaced by an empty one, which is still appended.
     */
    DROPPED_CONF_CHANGE,
    /** The leader's uncommitted log exceeds {@code maxUncommittedEntriesSizeBytes}. */
    DROPPED_UNCOMMITTED_LIMIT,
    /** A local-only message type was given to {@link RaftNode#step}. */
    IGNORED_LOCAL_MESSAGE,
    /** A response came from a node that is not a member. */
    IGNORED_UNKNOWN_PEER;

    public boolean isDropped() {
        return name().startsWith("DROPPED");
    }
}
