package io.cairn.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.EntryType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Simple membership changes through a whole cluster (etcd raft_test.go TestAddNode, TestRemoveNode, ...). */
class ConfChangeTest {

    @Test
    void addedVoterCatchesUpAndCountsInTheQuorum() {
        Network net = Network.of(1, false, false, 1, 2, 3);
        net.campaign(1);
        assertThat(net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddNode, 4)))
            .isEqualTo(StepResult.OK);
        net.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(net.confStates.get(id).getVotersList()).containsExactly(1L, 2L, 3L, 4L);
        }
        join(net, 4, ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L, 4L)).build());
        net.propose(1, "after-add");
        assertThat(net.logOf(4)).isEqualTo(net.logOf(1));
        assertThat(net.node(1).status().progress().get(4L).learner()).isFalse();

        // Four voters: a quorum is three, so leader + one follower cannot commit.
        net.isolate(3);
        net.isolate(4);
        long committed = net.raft(1).log.committed();
        net.propose(1, "needs-three");
        assertThat(net.raft(1).log.committed()).isEqualTo(committed);
    }

    @Test
    void learnerReplicatesButNeitherVotesNorCounts() {
        Network net = Network.of(2, false, false, 1, 2, 3);
        net.campaign(1);
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddLearnerNode, 4));
        net.stabilize();
        assertThat(net.confStates.get(1L).getLearnersList()).containsExactly(4L);
        join(net, 4, ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L)).addLearners(4).build());
        net.propose(1, "to-learner");
        assertThat(net.logOf(4)).isEqualTo(net.logOf(1));

        net.isolate(2);
        net.isolate(3);
        long committed = net.raft(1).log.committed();
        net.propose(1, "learner-is-no-quorum");
        assertThat(net.raft(1).log.committed()).isEqualTo(committed);
        net.tick(4, net.raft(4).config.electionTicks() * 3);
        net.stabilize();
        assertThat(net.raft(4).role.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.raft(4).role.term).isEqualTo(1);

        net.heal();
        net.stabilize();
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddNode, 4));
        net.stabilize();
        assertThat(net.confStates.get(4L).getVotersList()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(net.confStates.get(4L).getLearnersList()).isEmpty();
        assertThat(net.node(1).status().progress().get(4L).learner()).isFalse();
    }

    /** etcd TestStepIgnoreConfig: a leader refuses a second change while the first may be unapplied. */
    @Test
    void leaderRefusesSecondPendingConfChange() {
        Network net = Network.of(3, false, false, 1, 2, 3);
        net.campaign(1);
        net.isolate(1);
        assertThat(net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddNode, 4)))
            .isEqualTo(StepResult.OK);
        assertThat(net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddLearnerNode, 5)))
            .isEqualTo(StepResult.DROPPED_CONF_CHANGE);
        // Like etcd, the refused change became an empty normal entry.
        assertThat(net.raft(1).log.allEntries()).extracting(e -> e.getType())
            .containsExactly(EntryType.EntryNormal, EntryType.EntryConfChange, EntryType.EntryNormal);

        net.heal();
        net.tick(1, net.raft(1).config.heartbeatTicks());
        net.stabilize();
        assertThat(net.confStates.get(1L).getVotersList()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddLearnerNode, 5)))
            .isEqualTo(StepResult.OK);
    }

    @Test
    void jointConfChangeIsRefused() {
        Network net = Network.of(4, false, false, 1, 2, 3);
        net.campaign(1);
        ConfChangeV2 twoVoters = ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionAuto)
            .addChanges(ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(4))
            .addChanges(ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(5))
            .build();
        assertThat(net.node(1).proposeConfChange(twoVoters)).isEqualTo(StepResult.DROPPED_CONF_CHANGE);
        net.stabilize();
        assertThat(net.confStates).isEmpty();
    }

    @Test
    void confChangeV2SimpleChangeIsApplied() {
        Network net = Network.of(5, false, false, 1, 2, 3);
        net.campaign(1);
        ConfChangeV2 removeThree = ConfChangeV2.newBuilder()
            .addChanges(ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(3))
            .build();
        assertThat(net.node(1).proposeConfChange(removeThree)).isEqualTo(StepResult.OK);
        net.stabilize();
        assertThat(net.confStates.get(2L).getVotersList()).containsExactly(1L, 2L);
        assertThat(net.node(1).status().progress()).containsOnlyKeys(1L, 2L);
    }

    /** etcd TestStepDownOnRemoval: a leader that applies its own removal steps down; the rest elect a leader. */
    @Test
    void removedLeaderStepsDownAndTheRestCarryOn() {
        Network net = Network.of(6, false, false, 1, 2, 3);
        net.campaign(1);
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeRemoveNode, 1));
        net.stabilize();
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.propose(1, "to-nowhere")).isEqualTo(StepResult.DROPPED_NO_LEADER);

        // The removed node never campaigns again; 2 and 3 elect a leader among themselves.
        net.tick(1, net.raft(1).config.electionTicks() * 3);
        net.campaign(2);
        assertThat(net.leader()).isEqualTo(2);
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        net.propose(2, "two-of-two");
        assertThat(net.applied.get(3L)).extracting(e -> e.getData().toStringUtf8()).contains("two-of-two");
        assertThat(net.node(2).status().progress()).containsOnlyKeys(2L, 3L);
    }

    @Test
    void demotedLeaderStepsDownAndStaysALearner() {
        Network net = Network.of(7, false, false, 1, 2, 3);
        net.campaign(1);
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddLearnerNode, 1));
        net.stabilize();
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.confStates.get(1L).getLearnersList()).containsExactly(1L);
        net.campaign(1);
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        net.campaign(3);
        assertThat(net.leader()).isEqualTo(3);
        net.propose(3, "learner-follows");
        assertThat(net.logOf(1)).isEqualTo(net.logOf(3));
    }

    private static ConfChange change(ConfChangeType type, long node) {
        return ConfChange.newBuilder().setType(type).setNodeId(node).build();
    }

    /** Starts member {@code id} with an empty log and the given membership, as a joining server would. */
    private static void join(Network net, long id, ConfState membership) {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        storage.setConfState(membership);
        net.add(RaftConfig.defaults(id, new SplittableRandom(id)).withPreVote(false).withCheckQuorum(false),
            storage);
    }
}
