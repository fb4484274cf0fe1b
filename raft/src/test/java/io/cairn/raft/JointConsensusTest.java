package io.cairn.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Joint consensus through a whole cluster (raft thesis 4.3; etcd raft_test.go TestConfChangeV2* and the
 * confchange_v2_* interaction scripts): entering a joint config, both majorities for commit and votes, automatic
 * and explicit leave, learners_next, and a leader's refusals.
 */
class JointConsensusTest {

    /** etcd confchange_v2_add_double_auto: several operations enter joint; the leader leaves it by itself. */
    @Test
    void severalOperationsEnterJointAndTheLeaderLeavesAutomatically() {
        Network net = Network.of(1, false, false, 1, 2, 3);
        join(net, 4);
        net.campaign(1);
        assertThat(net.node(1).proposeConfChange(v2(ConfChangeTransition.ConfChangeTransitionAuto, "v4 r3")))
            .isEqualTo(StepResult.OK);
        net.stabilize();

        for (long id : new long[] {1, 2, 4}) {
            assertThat(Changer.describe(net.confStates.get(id))).as("node %d", id).isEqualTo("voters=(1 2 4)");
        }
        // The joint entry, then the empty ConfChangeV2 the leader proposed once it applied the joint config.
        List<Entry> log = net.raft(1).log.allEntries();
        Entry joint = log.get(1);
        Entry leave = log.get(2);
        assertThat(joint.getType()).isEqualTo(EntryType.EntryConfChangeV2);
        assertThat(Changer.describe(Changer.decode(joint))).isEqualTo("v4 r3");
        assertThat(leave.getType()).isEqualTo(EntryType.EntryConfChangeV2);
        assertThat(Changer.isLeaveJoint(Changer.decode(leave))).isTrue();
        assertThat(net.node(1).status().progress()).containsOnlyKeys(1L, 2L, 4L);
        assertThat(net.propose(1, "after")).isEqualTo(StepResult.OK);
        assertThat(net.logOf(4)).isEqualTo(net.logOf(1));
    }

    /** Raft thesis 4.3: while joint, an entry commits only with a majority of the old and of the new voters. */
    @Test
    void explicitJointConfigNeedsBothMajoritiesUntilTheApplicationLeavesIt() {
        Network net = Network.of(2, false, false, 1, 2, 3);
        join(net, 4);
        join(net, 5);
        net.campaign(1);
        net.node(1).proposeConfChange(v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "v4 v5 r2 r3"));
        net.stabilize();
        assertThat(Changer.describe(net.confStates.get(1L))).isEqualTo("voters=(1 4 5)&&(1 2 3)");
        assertThat(net.raft(1).log.lastIndex()).as("no automatic leave").isEqualTo(2);

        net.isolate(4);
        net.isolate(5);
        long committed = net.raft(1).log.committed();
        net.propose(1, "old-majority-only");
        assertThat(net.raft(1).log.committed()).isEqualTo(committed);
        net.heal();
        net.tick(1, net.raft(1).config.heartbeatTicks());
        net.stabilize();
        assertThat(net.raft(1).log.committed()).isEqualTo(committed + 1);

        net.isolate(2);
        net.isolate(3);
        net.propose(1, "new-majority-only");
        assertThat(net.raft(1).log.committed()).isEqualTo(committed + 1);
        net.heal();
        net.tick(1, net.raft(1).config.heartbeatTicks());
        net.stabilize();
        assertThat(net.raft(1).log.committed()).isEqualTo(committed + 2);

        assertThat(net.node(1).proposeConfChange(v2(ConfChangeTransition.ConfChangeTransitionAuto, "l6")))
            .as("must transition out of joint config first").isEqualTo(StepResult.DROPPED_CONF_CHANGE);
        assertThat(net.node(1).proposeConfChange(ConfChangeV2.getDefaultInstance())).isEqualTo(StepResult.OK);
        net.stabilize();
        assertThat(Changer.describe(net.confStates.get(1L))).isEqualTo("voters=(1 4 5)");
        assertThat(Changer.describe(net.confStates.get(5L))).isEqualTo("voters=(1 4 5)");
    }

    /** An election in a joint config needs both majorities too. */
    @Test
    void candidateNeedsVotesFromBothHalves() {
        Network net = Network.of(3, false, false, 1, 2, 3);
        join(net, 4);
        join(net, 5);
        net.campaign(1);
        net.node(1).proposeConfChange(v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "v4 v5 r2 r3"));
        net.stabilize();

        // 2 holds votes of 1, 2, 3 (all of the outgoing half) but none of the incoming (1 4 5) besides 1.
        net.isolate(4);
        net.isolate(5);
        net.campaign(2);
        assertThat(net.raft(2).role.state).isEqualTo(StateRole.CANDIDATE);
        net.heal();
        net.campaign(2);
        assertThat(net.leader()).isEqualTo(2);
    }

    @Test
    void leaderRefusesToLeaveAConfigThatIsNotJoint() {
        Network net = Network.of(4, false, false, 1, 2, 3);
        net.campaign(1);
        assertThat(net.node(1).proposeConfChange(ConfChangeV2.getDefaultInstance()))
            .isEqualTo(StepResult.DROPPED_CONF_CHANGE);
        net.stabilize();
        assertThat(net.confStates).isEmpty();
        assertThat(net.raft(1).log.allEntries()).extracting(Entry::getType)
            .containsExactly(EntryType.EntryNormal, EntryType.EntryNormal);
    }

    /** etcd joint_learners_next.txt end to end: the demoted voter votes until the joint config is left. */
    @Test
    void voterDemotedInAJointConfigBecomesALearnerWhenItIsLeft() {
        Network net = Network.of(5, false, false, 1, 2, 3);
        join(net, 4);
        net.campaign(1);
        net.node(1).proposeConfChange(v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, "l3 v4"));
        net.stabilize();
        assertThat(Changer.describe(net.confStates.get(3L))).isEqualTo("voters=(1 2 4) learners=(3)");
        assertThat(net.node(1).status().progress().get(3L).learner()).isTrue();
        net.propose(1, "to-the-learner");
        assertThat(net.logOf(3)).isEqualTo(net.logOf(1));
        net.campaign(3);
        assertThat(net.raft(3).role.state).isEqualTo(StateRole.FOLLOWER);
    }

    /** etcd TestLeaderTransition... in spirit: a new leader in an auto-leave joint config finishes the change. */
    @Test
    void newLeaderLeavesAnAutoLeaveJointConfig() {
        Network net = Network.of(6, false, false, 1, 2, 3);
        join(net, 4);
        net.campaign(1);
        // Keep the old leader's automatic leave from reaching anyone.
        net.dropIf(m -> m.getFrom() == 1 && carriesLeaveJoint(m));
        net.node(1).proposeConfChange(v2(ConfChangeTransition.ConfChangeTransitionAuto, "v4 r1"));
        net.stabilize();
        assertThat(Changer.describe(net.confStates.get(2L))).isEqualTo("voters=(2 3 4)&&(1 2 3) autoleave");

        net.heal();
        net.isolate(1);
        net.campaign(2);
        assertThat(net.leader()).isEqualTo(2);
        for (long id : new long[] {2, 3, 4}) {
            assertThat(Changer.describe(net.confStates.get(id))).as("node %d", id).isEqualTo("voters=(2 3 4)");
        }
    }

    private static boolean carriesLeaveJoint(Message m) {
        if (m.getType() != MessageType.MsgApp) {
            return false;
        }
        for (Entry e : m.getEntriesList()) {
            if (e.getType() == EntryType.EntryConfChangeV2 && Changer.isLeaveJoint(Changer.decode(e))) {
                return true;
            }
        }
        return false;
    }

    static ConfChangeV2 v2(ConfChangeTransition transition, String ops) {
        ConfChangeV2.Builder cc = ConfChangeV2.newBuilder().setTransition(transition);
        for (String op : ops.split(" ")) {
            ConfChangeType type = switch (op.charAt(0)) {
                case 'v' -> ConfChangeType.ConfChangeAddNode;
                case 'l' -> ConfChangeType.ConfChangeAddLearnerNode;
                default -> ConfChangeType.ConfChangeRemoveNode;
            };
            cc.addChanges(ConfChangeSingle.newBuilder().setType(type).setNodeId(Long.parseLong(op.substring(1))));
        }
        return cc.build();
    }

    /** Starts member {@code id} with an empty log and the bootstrap membership: it replays every change. */
    private static void join(Network net, long id) {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        storage.setConfState(ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L)).build());
        net.add(RaftConfig.defaults(id, new SplittableRandom(id)).withPreVote(false).withCheckQuorum(false),
            storage);
    }
}
