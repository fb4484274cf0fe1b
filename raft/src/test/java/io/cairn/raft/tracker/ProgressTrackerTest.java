package io.cairn.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.quorum.JointConfig;
import io.cairn.raft.quorum.MajorityConfig;
import io.cairn.raft.quorum.VoteResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress side of etcd's confchange datadriven tests (their {@code next=} lines): a config change keeps the
 * progress of members that stay, whatever their role, and starts new members at the given next index.
 */
class ProgressTrackerTest {

    /** etcd joint_learners_next.txt: a demoted voter keeps its progress through enter and leave joint. */
    @Test
    void demotedVoterKeepsItsProgressThroughTheJointConfig() {
        ProgressTracker tracker = new ProgressTracker(8);
        tracker.setConfig(JointConfig.simple(MajorityConfig.of(1)), List.of(), List.of(), false, 1);
        tracker.progress(1).maybeUpdate(5);
        Progress original = tracker.progress(1);

        tracker.setConfig(new JointConfig(MajorityConfig.of(2), MajorityConfig.of(1)), List.of(), List.of(1L),
            true, 9);
        assertThat(tracker.progress(1)).isSameAs(original);
        assertThat(original.isLearner()).as("still votes in the outgoing half").isFalse();
        assertThat(tracker.progress(2).next()).isEqualTo(9);
        assertThat(tracker.confState().getLearnersNextList()).containsExactly(1L);
        assertThat(tracker.autoLeave()).isTrue();

        tracker.setConfig(JointConfig.simple(MajorityConfig.of(2)), List.of(1L), List.of(), false, 12);
        assertThat(tracker.progress(1)).isSameAs(original);
        assertThat(original.isLearner()).isTrue();
        assertThat(original.match()).isEqualTo(5);
        assertThat(tracker.progress(2).next()).as("kept, not reset to 12").isEqualTo(9);
    }

    /** etcd joint_safety.txt: leaving the joint config forgets outgoing voters that are not members any more. */
    @Test
    void leavingTheJointConfigForgetsRemovedVoters() {
        ProgressTracker tracker = new ProgressTracker(8);
        tracker.setConfig(new JointConfig(MajorityConfig.of(2, 3), MajorityConfig.of(1)), List.of(4L), List.of(),
            false, 9);
        assertThat(tracker.progressById()).containsOnlyKeys(1L, 2L, 3L, 4L);
        tracker.setConfig(JointConfig.simple(MajorityConfig.of(2, 3)), List.of(4L), List.of(), false, 9);
        assertThat(tracker.progressById()).containsOnlyKeys(2L, 3L, 4L);
    }

    /** Joint quorum: commit and elections need a majority of both halves. */
    @Test
    void jointConfigNeedsBothMajorities() {
        ProgressTracker tracker = new ProgressTracker(8);
        tracker.setConfig(new JointConfig(MajorityConfig.of(3, 4, 5), MajorityConfig.of(1, 2, 3)), List.of(),
            List.of(), false, 1);
        tracker.progress(1).maybeUpdate(7);
        tracker.progress(2).maybeUpdate(7);
        tracker.progress(3).maybeUpdate(5);
        tracker.progress(4).maybeUpdate(3);
        // outgoing (1 2 3) has 7; incoming (3 4 5) only 3.
        assertThat(tracker.committed()).isEqualTo(3);

        tracker.recordVote(1, true);
        tracker.recordVote(2, true);
        assertThat(tracker.tallyVotes().result()).isEqualTo(VoteResult.PENDING);
        tracker.recordVote(4, true);
        tracker.recordVote(5, false);
        assertThat(tracker.tallyVotes().result()).isEqualTo(VoteResult.PENDING);
        tracker.recordVote(3, false);
        assertThat(tracker.tallyVotes().result()).isEqualTo(VoteResult.LOST);
    }
}
