package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.StateRole;
import io.cairn.raft.StepResult;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The application model of {@link SimNode}: its membership, and so its message filter, is durable across restarts. */
class SimNodeTest {
    private static final long[] VOTERS = {1, 3};
    private static final int MAX_PUMP_ROUNDS = 100;

    private final Random random = new Random(42);
    private final SafetyChecker checker = new SafetyChecker();
    private final SimNode one = node(1);
    private final SimNode three = node(3);
    private final Map<Long, SimNode> nodes = Map.of(1L, one, 3L, three);

    /**
     * Seed 700232: 3 is in the bootstrap membership, 1 applies its removal, crashes and restarts. From its first
     * message on, and while it re-applies the log (the removal included), 1 must keep dropping 3's messages.
     */
    @Test
    void removedIdStaysRemovedAcrossRestartAndReplay() {
        one.node().campaign();
        pump();
        assertThat(one.node().status().softState().role()).isEqualTo(StateRole.LEADER);
        ConfChangeV2 remove = ConfChangeV2.newBuilder().addChanges(ConfChangeSingle.newBuilder()
            .setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(3)).build();
        assertThat(one.node().proposeConfChange(remove)).isEqualTo(StepResult.OK);
        pump();
        assertThat(one.confState().getVotersList()).containsExactly(1L);
        assertThat(one.hasSeenRemoved(3)).isTrue();

        one.crash();
        one.restart();
        checker.onRestart(one.id, one.storage.firstIndex() - 1);
        assertThat(one.confState().getVotersList()).containsExactly(1L);
        assertThat(one.hasSeenRemoved(3)).isTrue();
        one.processReady(checker, new ArrayList<>(), false);
        assertThat(one.confState().getVotersList()).containsExactly(1L);
        assertThat(one.hasSeenRemoved(3)).isTrue();
        assertThat(one.hasSeenRemoved(1)).isFalse();
    }

    private SimNode node(long id) {
        return new SimNode(id, VOTERS, r -> RaftConfig.defaults(id, r).withTicks(Swarm.ELECTION_TICKS, 1), random);
    }

    /** Runs Ready loops and delivers (through the application's filter) until no message is in flight. */
    private void pump() {
        List<Message> inFlight = new ArrayList<>();
        for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
            for (SimNode n : nodes.values()) {
                n.processReady(checker, inFlight, false);
            }
            if (inFlight.isEmpty()) {
                return;
            }
            for (Message m : inFlight) {
                SimNode to = nodes.get(m.getTo());
                if (!to.hasSeenRemoved(m.getFrom())) {
                    to.node().step(m);
                }
            }
            inFlight.clear();
        }
        throw new AssertionError("messages still in flight after " + MAX_PUMP_ROUNDS + " rounds");
    }
}
