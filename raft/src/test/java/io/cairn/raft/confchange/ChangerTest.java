package io.cairn.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * etcd-raft's confchange/testdata/*.txt as JUnit tables: each script starts from the empty config and runs its steps
 * in order; a step is a command ({@code simple}, {@code enter-joint}, {@code enter-joint autoleave=true},
 * {@code leave-joint}), operations in etcd's notation ({@code v1} add voter, {@code l2} add learner, {@code r3}
 * remove, {@code u4} update) and the expected config, or the expected error (which leaves the config unchanged).
 * etcd's expected {@code next=} progress lines are checked where progress lives
 * ({@code tracker.ProgressTrackerTest}).
 */
class ChangerTest {
    /** One datadriven block: {@code command / ops / ---- / want}. */
    record Step(String command, String ops, String want) {
    }

    static Step step(String command, String ops, String want) {
        return new Step(command, ops, want);
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
            Arguments.of("zero: node id 0 is ignored", List.of(
                step("simple", "v1 r0 v0 l0", "voters=(1)"))),
            Arguments.of("update: changes nothing", List.of(
                step("simple", "v1", "voters=(1)"),
                step("simple", "v2 u1", "voters=(1 2)"),
                step("simple", "u1 u2 u3 u1 u2 u3", "voters=(1 2)"))),
            Arguments.of("simple_idempotency", List.of(
                step("simple", "v1", "voters=(1)"),
                step("simple", "v1", "voters=(1)"),
                step("simple", "v2", "voters=(1 2)"),
                step("simple", "l1", "voters=(2) learners=(1)"),
                step("simple", "l1", "voters=(2) learners=(1)"),
                step("simple", "r1", "voters=(2)"),
                step("simple", "r1", "voters=(2)"),
                step("simple", "v3", "voters=(2 3)"),
                step("simple", "r3", "voters=(2)"),
                step("simple", "r3", "voters=(2)"),
                step("simple", "r4", "voters=(2)"))),
            Arguments.of("simple_promote_demote", List.of(
                step("simple", "v1", "voters=(1)"),
                step("simple", "v2", "voters=(1 2)"),
                step("simple", "v3", "voters=(1 2 3)"),
                step("simple", "l1 v1", "voters=(1 2 3)"),
                step("simple", "l2", "voters=(1 3) learners=(2)"),
                step("simple", "v2 l2", "voters=(1 3) learners=(2)"),
                step("simple", "v2", "voters=(1 2 3)"))),
            Arguments.of("simple_safety", simpleSafety()),
            Arguments.of("joint_autoleave", List.of(
                step("simple", "v1", "voters=(1)"),
                step("enter-joint autoleave=true", "v2 v3", "voters=(1 2 3)&&(1) autoleave"),
                step("enter-joint autoleave=false", "", "config is already joint"),
                step("leave-joint", "", "voters=(1 2 3)"))),
            Arguments.of("joint_idempotency", List.of(
                step("simple", "v1", "voters=(1)"),
                step("enter-joint", "r1 r2 r9 v2 v3 v4 v2 v3 v4 l2 l2 r4 r4 l1 l1",
                    "voters=(3)&&(1) learners=(2) learners_next=(1)"),
                step("leave-joint", "", "voters=(3) learners=(1 2)"))),
            Arguments.of("joint_learners_next", List.of(
                step("simple", "v1", "voters=(1)"),
                step("enter-joint", "v2 l1", "voters=(2)&&(1) learners_next=(1)"),
                step("leave-joint", "", "voters=(2) learners=(1)"))),
            Arguments.of("joint_safety", jointSafety()));
    }

    private static List<Step> simpleSafety() {
        return List.of(
            step("simple", "l1", "removed all voters"),
            step("simple", "v1", "voters=(1)"),
            step("simple", "v2 l3", "voters=(1 2) learners=(3)"),
            step("simple", "r1 v5", "more than one voter changed without entering joint config"),
            step("simple", "r1 r2", "removed all voters"),
            step("simple", "v3 v4", "more than one voter changed without entering joint config"),
            step("simple", "l1 v5", "more than one voter changed without entering joint config"),
            step("simple", "l1 l2", "removed all voters"),
            step("simple", "l2 l3 l4 l5", "voters=(1) learners=(2 3 4 5)"),
            step("simple", "r1", "removed all voters"),
            step("simple", "r2 r3 r4 r5", "voters=(1)"));
    }

    private static List<Step> jointSafety() {
        return List.of(
            step("leave-joint", "", "can't leave a non-joint config"),
            step("enter-joint", "", "can't make a zero-voter config joint"),
            step("enter-joint", "v1", "can't make a zero-voter config joint"),
            step("simple", "v1", "voters=(1)"),
            step("leave-joint", "", "can't leave a non-joint config"),
            step("enter-joint", "", "voters=(1)&&(1)"),
            step("enter-joint", "", "config is already joint"),
            step("leave-joint", "", "voters=(1)"),
            step("leave-joint", "", "can't leave a non-joint config"),
            step("enter-joint", "r1 v2 v3 l4", "voters=(2 3)&&(1) learners=(4)"),
            step("enter-joint", "", "config is already joint"),
            step("enter-joint", "v12", "config is already joint"),
            step("simple", "l15", "can't apply simple config change in joint config"),
            step("leave-joint", "", "voters=(2 3) learners=(4)"),
            step("simple", "l9", "voters=(2 3) learners=(4 9)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void runsScript(String name, List<Step> steps) {
        ConfState cs = ConfState.getDefaultInstance();
        List<String> got = new ArrayList<>();
        List<String> want = new ArrayList<>();
        for (Step step : steps) {
            want.add(step.command() + " " + step.ops() + " -> " + step.want());
            try {
                cs = run(cs, step);
                got.add(step.command() + " " + step.ops() + " -> " + Changer.describe(cs));
            } catch (ConfChangeException e) {
                got.add(step.command() + " " + step.ops() + " -> " + e.getMessage().replace("raft: conf change: ", ""));
            }
        }
        assertThat(got).containsExactlyElementsOf(want);
    }

    private static ConfState run(ConfState cs, Step step) {
        List<ConfChangeSingle> changes = parse(step.ops());
        return switch (step.command()) {
            case "simple" -> Changer.simple(cs, changes);
            case "enter-joint", "enter-joint autoleave=false" -> Changer.enterJoint(cs, false, changes);
            case "enter-joint autoleave=true" -> Changer.enterJoint(cs, true, changes);
            case "leave-joint" -> Changer.leaveJoint(cs);
            default -> throw new IllegalArgumentException("unknown command " + step.command());
        };
    }

    /** etcd's notation: {@code v1 l2 r3 u4}. */
    static List<ConfChangeSingle> parse(String ops) {
        List<ConfChangeSingle> changes = new ArrayList<>();
        for (String op : ops.trim().split("\\s+")) {
            if (op.isEmpty()) {
                continue;
            }
            ConfChangeType type = switch (op.charAt(0)) {
                case 'v' -> ConfChangeType.ConfChangeAddNode;
                case 'l' -> ConfChangeType.ConfChangeAddLearnerNode;
                case 'r' -> ConfChangeType.ConfChangeRemoveNode;
                case 'u' -> ConfChangeType.ConfChangeUpdateNode;
                default -> throw new IllegalArgumentException("unknown op " + op);
            };
            changes.add(single(type, Long.parseLong(op.substring(1))));
        }
        return changes;
    }

    static Stream<Arguments> dispatch() {
        ConfState one = ConfState.newBuilder().addVoters(1).build();
        ConfState joint = Changer.enterJoint(one, true, parse("v2 v3"));
        return Stream.of(
            Arguments.of("one op, auto: simple", one, v2(ConfChangeTransition.ConfChangeTransitionAuto, "v2"),
                "voters=(1 2)"),
            Arguments.of("two ops, auto: joint, auto leave", one,
                v2(ConfChangeTransition.ConfChangeTransitionAuto, "v2 v3"), "voters=(1 2 3)&&(1) autoleave"),
            Arguments.of("one op, implicit: joint, auto leave", one,
                v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, "v2"), "voters=(1 2)&&(1) autoleave"),
            Arguments.of("one op, explicit: joint, no auto leave", one,
                v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "v2"), "voters=(1 2)&&(1)"),
            Arguments.of("no ops, explicit: joint without change", one,
                v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, ""), "voters=(1)&&(1)"),
            Arguments.of("zero change: leave joint", joint, v2(ConfChangeTransition.ConfChangeTransitionAuto, ""),
                "voters=(1 2 3)"));
    }

    /** etcd {@code ConfChangeV2.EnterJoint/LeaveJoint} as used by {@code raft.applyConfChange}. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dispatch")
    void dispatchesOnTransitionAndOperationCount(String name, ConfState current, ConfChangeV2 cc, String want) {
        assertThat(Changer.describe(Changer.apply(current, cc))).isEqualTo(want);
    }

    @Test
    void confChangeV1IsASimpleAutoChange() {
        ConfChange v1 = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddLearnerNode).setNodeId(4).build();
        ConfChangeV2 cc = Changer.toV2(v1);
        assertThat(Changer.entersJoint(cc)).isFalse();
        assertThat(Changer.isLeaveJoint(cc)).isFalse();
        assertThat(Changer.describe(Changer.apply(ConfState.newBuilder().addVoters(1).build(), cc)))
            .isEqualTo("voters=(1) learners=(4)");
    }

    private static ConfChangeSingle single(ConfChangeType type, long node) {
        return ConfChangeSingle.newBuilder().setType(type).setNodeId(node).build();
    }

    private static ConfChangeV2 v2(ConfChangeTransition transition, String ops) {
        return ConfChangeV2.newBuilder().setTransition(transition).addAllChanges(parse(ops)).build();
    }
}
