package io.cairn.raft.quorum;

import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Two majority configurations that must both agree (joint consensus, raft thesis 4.3; etcd {@code JointConfig}).
 * Outside a membership change {@code outgoing} is empty, which agrees with everything, so this degrades to a plain
 * majority of {@code incoming}.
 */
public record JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {

    public JointConfig {
        Objects.requireNonNull(incoming, "incoming");
        Objects.requireNonNull(outgoing, "outgoing");
    }

    public static JointConfig simple(MajorityConfig voters) {
        return new JointConfig(voters, MajorityConfig.empty());
    }

    public boolean isJoint() {
        return !outgoing.isEmpty();
    }

    /** All voters of both halves, ascending. */
    public SortedSet<Long> ids() {
        SortedSet<Long> ids = new TreeSet<>(incoming.voters());
        ids.addAll(outgoing.voters());
        return ids;
    }

    public boolean contains(long id) {
        return incoming.contains(id) || outgoing.contains(id);
    }

    /** The largest index both majorities have acknowledged. */
    public long committedIndex(AckedIndexer indexer) {
        return Math.min(incoming.committedIndex(indexer), outgoing.committedIndex(indexer));
    }

    /** Won only if both halves won, lost if either lost, else pending. */
    public VoteResult voteResult(Map<Long, Boolean> votes) {
        VoteResult first = incoming.voteResult(votes);
        VoteResult second = outgoing.voteResult(votes);
        if (first == second) {
            return first;
        }
        if (first == VoteResult.LOST || second == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    @Override
    public String toString() {
        return isJoint() ? incoming + "&&" + outgoing : incoming.toString();
    }
}
