package io.cairn.server;

/**
 * The raft facts client-facing code reports (Maintenance.Status, /health, MoveLeader, metrics), read from one
 * place ({@link Member#raftStatus()}). Member IDs are unsigned 64-bit values;
 * {@link #NO_LEADER} is raft's {@code None}. Implementations are thread-safe and cheap.
 */
public interface RaftStatus {
    /** raft's {@code None}: no leader known. */
    long NO_LEADER = 0;

    /** The leader this member knows of, or {@link #NO_LEADER}. */
    long leader();

    /** raft's commit index. */
    long committedIndex();

    /** The index of the last entry applied to the state machine. */
    long appliedIndex();

    /** The current raft term. */
    long term();

    /** Whether this member is a learner (non-voting). */
    boolean isLearner();

    /** Whether {@code memberId} names a voting member of the cluster, which may then take over leadership. */
    boolean isVoter(long memberId);
}
