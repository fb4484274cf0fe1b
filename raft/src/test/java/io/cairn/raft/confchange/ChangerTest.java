package io.cairn.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Simple membership changes (etcd confchange/testdata/simple_*.txt in table form). */
class ChangerTest {
    private static final ConfChangeType ADD = ConfChangeType.ConfChangeAddNode;
    private static final ConfChangeType LEARNER = ConfChangeType.ConfChangeAddLearnerNode;
    private static final ConfChangeType REMOVE = ConfChangeType.ConfChangeRemoveNode;
    private static final ConfChangeType UPDATE = ConfChangeType.ConfChangeUpdateNode;

    static Stream<Arguments> validChanges() {
        return Stream.of(
            // name, voters, learners, change, node, expected voters, expected learners
            Arguments.of("add voter", List.of(1L), List.of(), ADD, 2L, List.of(1L, 2L), List.of()),
            Arguments.of("add existing voter is a no-op", List.of(1L, 2L), List.of(), ADD, 2L, List.of(1L, 2L),
                List.of()),
            Arguments.of("add learner", List.of(1L), List.of(), LEARNER, 3L, List.of(1L), List.of(3L)),
            Arguments.of("promote learner", List.of(1L), List.of(3L), ADD, 3L, List.of(1L, 3L), List.of()),
            Arguments.of("demote voter", List.of(1L, 2L), List.of(), LEARNER, 2L, List.of(1L), List.of(2L)),
            Arguments.of("remove voter", List.of(1L, 2L, 3L), List.of(), REMOVE, 2L, List.of(1L, 3L), List.of()),
            Arguments.of("remove learner", List.of(1L), List.of(4L), REMOVE, 4L, List.of(1L), List.of()),
            Arguments.of("remove absent is a no-op", List.of(1L), List.of(), REMOVE, 9L, List.of(1L), List.of()),
            Arguments.of("update changes nothing", List.of(1L), List.of(), UPDATE, 1L, List.of(1L), List.of()),
            Arguments.of("node 0 is ignored", List.of(1L), List.of(), ADD, 0L, List.of(1L), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validChanges")
    void appliesSimpleChange(String name, List<Long> voters, List<Long> learners, ConfChangeType type, long node,
        List<Long> wantVoters, List<Long> wantLearners) {
        ConfState current = ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).build();
        ConfChange cc = ConfChange.newBuilder().setType(type).setNodeId(node).build();

        ConfState next = Changer.apply(current, Changer.toV2(cc));

        assertThat(next.getVotersList()).containsExactlyElementsOf(wantVoters);
        assertThat(next.getLearnersList()).containsExactlyElementsOf(wantLearners);
        assertThat(next.getVotersOutgoingList()).isEmpty();
    }

    static Stream<Arguments> invalidChanges() {
        ConfState one = ConfState.newBuilder().addVoters(1).build();
        ConfState joint = ConfState.newBuilder().addVoters(1).addVotersOutgoing(2).build();
        return Stream.of(
            Arguments.of("remove the last voter", one, v2(ConfChangeTransition.ConfChangeTransitionAuto,
                single(REMOVE, 1)), "removed all voters"),
            Arguments.of("demote the last voter", one, v2(ConfChangeTransition.ConfChangeTransitionAuto,
                single(LEARNER, 1)), "removed all voters"),
            Arguments.of("two voters at once", one, v2(ConfChangeTransition.ConfChangeTransitionAuto,
                single(ADD, 2), single(ADD, 3)), "joint consensus is not supported"),
            Arguments.of("explicit joint transition", one, v2(ConfChangeTransition.ConfChangeTransitionJointExplicit,
                single(ADD, 2)), "joint consensus is not supported"),
            Arguments.of("leave joint", joint, v2(ConfChangeTransition.ConfChangeTransitionAuto),
                "joint consensus is not supported"),
            Arguments.of("simple change in joint config", joint, v2(ConfChangeTransition.ConfChangeTransitionAuto,
                single(ADD, 3)), "in joint config"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidChanges")
    void refusesChange(String name, ConfState current, ConfChangeV2 cc, String why) {
        assertThatThrownBy(() -> Changer.apply(current, cc)).isInstanceOf(ConfChangeException.class)
            .hasMessageContaining(why);
    }

    private static ConfChangeSingle single(ConfChangeType type, long node) {
        return ConfChangeSingle.newBuilder().setType(type).setNodeId(node).build();
    }

    private static ConfChangeV2 v2(ConfChangeTransition transition, ConfChangeSingle... changes) {
        return ConfChangeV2.newBuilder().setTransition(transition).addAllChanges(List.of(changes)).build();
    }
}
