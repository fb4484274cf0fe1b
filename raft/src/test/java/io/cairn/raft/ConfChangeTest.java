package io.cairn.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.MessageType;
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

    /**
     * Raft thesis 4.2.2 (etcd TestStepDownOnRemoval, plus etcd's TODO there): a leader that applies its own removal
     * takes no more proposals, hands leadership to the most up-to-date remaining voter (MsgTimeoutNow) and steps
     * down once nobody answers it any more; the removed node never campaigns again.
     */
    @Test
    void removedLeaderHandsOverAndStepsDown() {
        Network net = Network.of(6, false, false, 1, 2, 3);
        net.campaign(1);
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeRemoveNode, 1));
        net.stabilize();
        // 2 and 3 are equally up to date; the lower id got MsgTimeoutNow and won the election at once.
        assertThat(net.leader()).isEqualTo(2);
        assertThat(net.raft(2).role.term).isEqualTo(2);
        assertThat(net.propose(1, "to-nowhere")).isEqualTo(StepResult.DROPPED_NOT_MEMBER);

        // 2 and 3 follow term 2 and no longer answer 1: it steps down after at most two election timeouts.
        int electionTicks = net.raft(1).config.electionTicks();
        net.tick(1, 2 * electionTicks);
        net.stabilize();
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        net.tick(1, electionTicks * 3);
        net.stabilize();
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.raft(1).role.term).isEqualTo(1);
        net.propose(2, "two-of-two");
        assertThat(net.applied.get(3L)).extracting(e -> e.getData().toStringUtf8()).contains("two-of-two");
        assertThat(net.node(2).status().progress()).containsOnlyKeys(2L, 3L);
    }

    /**
     * The liveness gap of stepping down at once (etcd StepDownOnRemoval): the remaining voter got the removal entry
     * but never heard that it committed, so it still counts the old leader as a voter, whose vote it cannot get
     * while the old leader's log is longer. Stepping down at once, the old leader goes silent and no leader is
     * ever elected; handing over, it keeps replicating until the remaining voter has its whole log and the commit.
     */
    @Test
    void removedLeaderCatchesUpTheRemainingVoterSoItCanLead() {
        Network net = Network.of(8, false, false, 1, 2);
        net.campaign(1);
        // 2 gets the removal (index 2) but neither its commit nor "x" (index 3), which 1 appended after it.
        net.dropIf(m -> m.getFrom() == 1 && m.getTo() == 2 && (m.getCommit() >= 2 || m.getEntriesList().stream()
            .anyMatch(e -> e.getIndex() >= 3)));
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeRemoveNode, 1));
        net.node(1).propose("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        net.stabilize();
        assertThat(net.confStates.get(1L).getVotersList()).containsExactly(2L);
        assertThat(net.raft(2).log.committed()).isEqualTo(1);

        net.heal();
        for (int round = 0; round < net.raft(2).config.electionTicks() * 4 && net.leader() != 2; round++) {
            net.node(1).tick();
            net.node(2).tick();
            net.stabilize();
        }
        assertThat(net.leader()).isEqualTo(2);
        assertThat(net.confStates.get(2L).getVotersList()).containsExactly(2L);
        assertThat(net.applied.get(2L)).extracting(e -> e.getData().toStringUtf8()).contains("x");
        net.tick(1, 2 * net.raft(1).config.electionTicks());
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
    }

    /**
     * The same gap after the hand-over gave up (nobody answered for two election timeouts): the removed node, now a
     * silent follower, rejects the remaining voter's vote because its log is longer. Being asked means the
     * candidate still counts it as a voter, so it campaigns once among the voters of its own config, wins, catches
     * the candidate up and hands leadership over.
     */
    @Test
    void removedNodeWithTheLongerLogCampaignsToHandOver() {
        Network net = Network.of(9, false, false, 1, 2);
        net.campaign(1);
        net.dropIf(m -> m.getFrom() == 1 && m.getTo() == 2 && (m.getCommit() >= 2 || m.getEntriesList().stream()
            .anyMatch(e -> e.getIndex() >= 3)));
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeRemoveNode, 1));
        net.node(1).propose("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        net.stabilize();
        net.dropIf(m -> m.getFrom() == 1);
        net.tick(1, 2 * net.raft(1).config.electionTicks());
        net.stabilize();
        assertThat(net.raft(1).role.state).as("gave up handing over").isEqualTo(StateRole.FOLLOWER);
        assertThat(net.raft(2).log.committed()).isEqualTo(1);

        net.heal();
        net.campaign(2);
        assertThat(net.leader()).isEqualTo(2);
        assertThat(net.raft(2).role.term).isEqualTo(4);
        assertThat(net.confStates.get(2L).getVotersList()).containsExactly(2L);
        assertThat(net.applied.get(2L)).extracting(e -> e.getData().toStringUtf8()).contains("x");
    }

    /**
     * The hand-over election must not spoil an election it cannot win. 1 removed itself and holds an entry nobody
     * else has; 2 and 3 applied the removal, so their transport drops 1's messages (etcd's filter of removed
     * members); 4 and 5 never heard that it committed. 4 can win without 1 (2, 3 and 5 grant), but asks 1 too, and
     * 1 campaigns to hand over. A real election would move 4 and 5 to 1's term, where 1 cannot win (2 and 3 never
     * hear it) and 4's votes go stale: each retry of 4 asks 1 again, for ever. A pre-vote moves no term.
     */
    @Test
    void handOverCampaignThatCannotWinDoesNotDisruptTheCandidate() {
        Network net = Network.of(10, false, false, 1, 2, 3, 4, 5);
        net.campaign(1);
        // Nobody gets "x" (index 3) nor a hand-over; only 2 and 3 learn that the removal (index 2) committed.
        net.dropIf(m -> m.getFrom() == 1 && (m.getType() == MessageType.MsgTimeoutNow
            || m.getEntriesList().stream().anyMatch(e -> e.getIndex() >= 3)
            || (m.getTo() >= 4 && m.getCommit() >= 2)));
        net.node(1).proposeConfChange(change(ConfChangeType.ConfChangeRemoveNode, 1));
        net.node(1).propose("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        net.stabilize();
        net.tick(1, net.raft(1).config.heartbeatTicks());
        net.stabilize();
        assertThat(net.confStates.get(2L).getVotersList()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(net.confStates.get(3L).getVotersList()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(net.confStates).doesNotContainKeys(4L, 5L);

        // From now on only the transport filter: a member drops messages from an id its applied config removed.
        net.dropIf(m -> net.confStates.containsKey(m.getTo())
            && !isMember(net.confStates.get(m.getTo()), m.getFrom()));
        net.campaign(4);
        assertThat(net.leader()).isEqualTo(4);
        assertThat(net.raft(4).role.term).isEqualTo(2);
        assertThat(net.raft(5).role.term).isEqualTo(2);
        net.propose(4, "after");
        for (long id = 2; id <= 5; id++) {
            assertThat(net.confStates.get(id).getVotersList()).containsExactly(2L, 3L, 4L, 5L);
            assertThat(net.applied.get(id)).extracting(e -> e.getData().toStringUtf8()).contains("after");
        }
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

    private static boolean isMember(ConfState cs, long id) {
        return cs.getVotersList().contains(id) || cs.getVotersOutgoingList().contains(id)
            || cs.getLearnersList().contains(id) || cs.getLearnersNextList().contains(id);
    }

    /** Starts member {@code id} with an empty log and the given membership, as a joining server would. */
    private static void join(Network net, long id, ConfState membership) {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        storage.setConfState(membership);
        net.add(RaftConfig.defaults(id, new SplittableRandom(id)).withPreVote(false).withCheckQuorum(false),
            storage);
    }
}
