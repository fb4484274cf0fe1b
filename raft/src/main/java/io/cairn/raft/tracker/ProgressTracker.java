package io.cairn.raft.tracker;

import io.cairn.raft.pb.ConfState;
import io.cairn.raft.quorum.JointConfig;
import io.cairn.raft.quorum.MajorityConfig;
import io.cairn.raft.quorum.VoteResult;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership (voters as a {@link JointConfig}, learners) with one {@link Progress} per member and the votes of
 * the current election (etcd {@code ProgressTracker}). Iteration is in ascending id order, so runs are deterministic.
 */
public final class ProgressTracker {
    /** Granted/rejected counts and the outcome of an election. */
    public record Tally(int granted, int rejected, VoteResult result) {
    }

    private final int maxInflight;
    private final long maxInflightBytes;
    private JointConfig voters = JointConfig.simple(MajorityConfig.empty());
    private SortedSet<Long> learners = Collections.emptySortedSet();
    private SortedSet<Long> learnersNext = Collections.emptySortedSet();
    private boolean autoLeave;
    private final SortedMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();

    public ProgressTracker(int maxInflight) {
        this(maxInflight, Inflights.NO_BYTE_LIMIT);
    }

    /** Progress of each member limits appends in flight to {@code maxInflight} and {@code maxInflightBytes}. */
    public ProgressTracker(int maxInflight, long maxInflightBytes) {
        this.maxInflight = maxInflight;
        this.maxInflightBytes = maxInflightBytes;
    }

    /** A fresh progress with this tracker's flow-control limits. */
    public Progress newProgress(long match, long next, boolean learner) {
        return new Progress(match, next, maxInflight, maxInflightBytes, learner);
    }

    /**
     * Replaces the membership; progress of members that stay is kept, new members start probing at
     * {@code nextIndex} (with match 0), removed members are forgotten.
     */
    public void setConfig(JointConfig newVoters, Collection<Long> newLearners, Collection<Long> newLearnersNext,
        boolean newAutoLeave, long nextIndex) {
        this.voters = newVoters;
        this.learners = Collections.unmodifiableSortedSet(new TreeSet<>(newLearners));
        this.learnersNext = Collections.unmodifiableSortedSet(new TreeSet<>(newLearnersNext));
        this.autoLeave = newAutoLeave;
        SortedSet<Long> members = new TreeSet<>(newVoters.ids());
        members.addAll(learners);
        progress.keySet().retainAll(members);
        for (long id : members) {
            Progress existing = progress.get(id);
            boolean learner = learners.contains(id);
            if (existing == null) {
                progress.put(id, newProgress(0, nextIndex, learner));
            } else {
                existing.setLearner(learner);
            }
        }
    }

    /** The membership as the wire's {@link ConfState} (etcd {@code ProgressTracker.ConfState}). */
    public ConfState confState() {
        return ConfState.newBuilder().addAllVoters(voters.incoming().voters())
            .addAllVotersOutgoing(voters.outgoing().voters()).addAllLearners(learners)
            .addAllLearnersNext(learnersNext).setAutoLeave(autoLeave).build();
    }

    public JointConfig voters() {
        return voters;
    }

    public SortedSet<Long> learners() {
        return learners;
    }

    public SortedSet<Long> learnersNext() {
        return learnersNext;
    }

    public boolean autoLeave() {
        return autoLeave;
    }

    public int maxInflight() {
        return maxInflight;
    }

    public long maxInflightBytes() {
        return maxInflightBytes;
    }

    /** The progress of {@code id}, or null if it is not a member. */
    public Progress progress(long id) {
        return progress.get(id);
    }

    /** All members' progress by ascending id (live view; do not add or remove). */
    public SortedMap<Long, Progress> progressById() {
        return Collections.unmodifiableSortedMap(progress);
    }

    /** Replaces a member's progress (used when a leader resets its view at the start of a term). */
    public void resetProgress(long id, Progress fresh) {
        if (progress.containsKey(id)) {
            progress.put(id, fresh);
        }
    }

    /** Only one voter and no joint config: the leader can decide alone. */
    public boolean isSingleton() {
        return voters.incoming().size() == 1 && !voters.isJoint();
    }

    /** The largest index acknowledged by a quorum of voters. */
    public long committed() {
        return voters.committedIndex(id -> {
            Progress pr = progress.get(id);
            return pr == null ? OptionalLong.empty() : OptionalLong.of(pr.match());
        });
    }

    /** Whether a quorum of voters was recently active (CheckQuorum); the caller counts itself active. */
    public boolean quorumActive() {
        Map<Long, Boolean> active = new HashMap<>();
        for (Map.Entry<Long, Progress> entry : progress.entrySet()) {
            if (!entry.getValue().isLearner()) {
                active.put(entry.getKey(), entry.getValue().recentActive());
            }
        }
        return voters.voteResult(active) == VoteResult.WON;
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records the first vote of {@code id} in this election; later votes of the same node are ignored. */
    public void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    public Tally tallyVotes() {
        int granted = 0;
        int rejected = 0;
        for (Map.Entry<Long, Progress> entry : progress.entrySet()) {
            if (entry.getValue().isLearner()) {
                continue;
            }
            Boolean vote = votes.get(entry.getKey());
            if (vote == null) {
                continue;
            }
            if (vote) {
                granted++;
            } else {
                rejected++;
            }
        }
        return new Tally(granted, rejected, voters.voteResult(votes));
    }
}
