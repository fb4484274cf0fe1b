package io.cairn.raft.confchange;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Computes the configuration after a membership change (etcd {@code confchange.Changer}). Pure: the input is never
 * modified, ids in the result are ascending. A {@link ConfChangeV2} is one of three kinds ({@link #apply}):
 *
 * <pre>
 *   leave joint  no operations, transition AUTO:
 *                voters=(2 3)&amp;&amp;(1 2) learners_next=(1)  -&gt;  voters=(2 3) learners=(1)
 *   enter joint  several operations, or transition JOINT_IMPLICIT / JOINT_EXPLICIT:
 *                voters=(1 2)  -[r1 v3 l1]-&gt;  voters=(2 3)&amp;&amp;(1 2) learners_next=(1)
 *                (auto_leave unless JOINT_EXPLICIT)
 *   simple       one operation, transition AUTO: at most one voter differs (raft thesis 4.1)
 * </pre>
 * Operations, applied in order to the incoming half (voters) while the outgoing half keeps the old voters:
 * <pre>
 *   AddNode         makes a voter (a learner is promoted; already a voter: no-op)
 *   AddLearnerNode  makes a learner (a voter is demoted; one still voting in the outgoing half waits in
 *                   learners_next until the joint config is left); already a learner: no-op
 *   RemoveNode      removes a voter or learner (absent: no-op)
 *   UpdateNode      changes nothing here (the application updates its address book)
 *   node id 0       ignored (etcd's server zeroes ids of changes it decided not to apply)
 * </pre>
 * Invariants of every result: at least one incoming voter; learners are voters of neither half; learners_next is a
 * subset of the outgoing voters; outside a joint config outgoing voters and learners_next are empty and
 * auto_leave is false. Error messages are etcd's.
 */
public final class Changer {
    private Changer() {
    }

    /** etcd {@code ConfChange.AsV2}: the single change, automatic transition, same context. */
    public static ConfChangeV2 toV2(ConfChange cc) {
        return ConfChangeV2.newBuilder().setTransition(ConfChangeTransition.ConfChangeTransitionAuto)
            .addChanges(ConfChangeSingle.newBuilder().setType(cc.getType()).setNodeId(cc.getNodeId()))
            .setContext(cc.getContext()).build();
    }

    /**
     * The change carried by a conf-change entry, as a {@link ConfChangeV2}; null for a normal entry. An
     * {@code EntryConfChangeV2} without data is the empty change that leaves a joint config.
     */
    public static ConfChangeV2 decode(Entry entry) {
        try {
            if (entry.getType() == EntryType.EntryConfChange) {
                return toV2(ConfChange.parseFrom(entry.getData()));
            }
            if (entry.getType() == EntryType.EntryConfChangeV2) {
                return ConfChangeV2.parseFrom(entry.getData());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ConfChangeException("entry " + entry.getIndex() + " does not hold a conf change: "
                + e.getMessage());
        }
        return null;
    }

    /** etcd {@code ConfChangeV2.LeaveJoint}: the zero change (automatic transition, no operations). */
    public static boolean isLeaveJoint(ConfChangeV2 cc) {
        return cc.getChangesCount() == 0 && cc.getTransition() == ConfChangeTransition.ConfChangeTransitionAuto;
    }

    /** etcd {@code ConfChangeV2.EnterJoint}: several operations or an explicit joint transition. */
    public static boolean entersJoint(ConfChangeV2 cc) {
        return cc.getTransition() != ConfChangeTransition.ConfChangeTransitionAuto || cc.getChangesCount() > 1;
    }

    /**
     * Whether a joint config entered by {@code cc} is left automatically: true unless the transition is
     * {@code JOINT_EXPLICIT} (then the application proposes the empty change itself).
     */
    public static boolean autoLeave(ConfChangeV2 cc) {
        return cc.getTransition() != ConfChangeTransition.ConfChangeTransitionJointExplicit;
    }

    /**
     * The configuration after applying {@code cc} to {@code current} (etcd {@code raft.applyConfChange}'s dispatch
     * to {@link #leaveJoint}, {@link #enterJoint} or {@link #simple}).
     *
     * @throws ConfChangeException if the change is not allowed on {@code current}
     */
    public static ConfState apply(ConfState current, ConfChangeV2 cc) {
        if (isLeaveJoint(cc)) {
            return leaveJoint(current);
        }
        if (entersJoint(cc)) {
            return enterJoint(current, autoLeave(cc), cc.getChangesList());
        }
        return simple(current, cc.getChangesList());
    }

    /**
     * Applies {@code changes} without joint consensus.
     *
     * @throws ConfChangeException if {@code current} is joint, every voter would be removed, or more than one
     *     voter would change
     */
    public static ConfState simple(ConfState current, List<ConfChangeSingle> changes) {
        if (isJoint(current)) {
            throw new ConfChangeException("can't apply simple config change in joint config");
        }
        Config cfg = new Config(current);
        cfg.apply(changes);
        SortedSet<Long> changed = new TreeSet<>(cfg.incoming);
        changed.addAll(current.getVotersList());
        changed.removeIf(id -> cfg.incoming.contains(id) && current.getVotersList().contains(id));
        if (changed.size() > 1) {
            throw new ConfChangeException("more than one voter changed without entering joint config");
        }
        return cfg.build();
    }

    /**
     * Enters the joint config {@code (incoming after changes) && (current voters)} (raft thesis 4.3).
     *
     * @throws ConfChangeException if {@code current} is already joint or has no voters, or the incoming half
     *     would have none
     */
    public static ConfState enterJoint(ConfState current, boolean autoLeave, List<ConfChangeSingle> changes) {
        if (isJoint(current)) {
            throw new ConfChangeException("config is already joint");
        }
        if (current.getVotersCount() == 0) {
            // Adding to an empty config is allowed for bootstrap (simple), but it cannot become joint.
            throw new ConfChangeException("can't make a zero-voter config joint");
        }
        Config cfg = new Config(current);
        cfg.outgoing.addAll(cfg.incoming);
        cfg.apply(changes);
        cfg.autoLeave = autoLeave;
        return cfg.build();
    }

    /**
     * Leaves a joint config: the outgoing half is dropped, learners_next become learners, and outgoing voters that
     * are neither incoming voters nor learners are no longer members.
     *
     * @throws ConfChangeException if {@code current} is not joint
     */
    public static ConfState leaveJoint(ConfState current) {
        if (!isJoint(current)) {
            throw new ConfChangeException("can't leave a non-joint config");
        }
        Config cfg = new Config(current);
        cfg.learners.addAll(cfg.learnersNext);
        cfg.learnersNext.clear();
        cfg.outgoing.clear();
        cfg.autoLeave = false;
        return cfg.build();
    }

    /** Whether {@code cs} has an outgoing half. */
    public static boolean isJoint(ConfState cs) {
        return cs.getVotersOutgoingCount() > 0;
    }

    /**
     * etcd's datadriven notation of a config: {@code voters=(1 2)&&(1) learners=(3) learners_next=(2) autoleave}.
     */
    public static String describe(ConfState cs) {
        StringBuilder out = new StringBuilder("voters=").append(ids(cs.getVotersList()));
        if (isJoint(cs)) {
            out.append("&&").append(ids(cs.getVotersOutgoingList()));
        }
        if (cs.getLearnersCount() > 0) {
            out.append(" learners=").append(ids(cs.getLearnersList()));
        }
        if (cs.getLearnersNextCount() > 0) {
            out.append(" learners_next=").append(ids(cs.getLearnersNextList()));
        }
        if (cs.getAutoLeave()) {
            out.append(" autoleave");
        }
        return out.toString();
    }

    /** etcd's notation of a change: {@code v2 l3 r1 u4} plus the transition if it is not automatic. */
    public static String describe(ConfChangeV2 cc) {
        StringBuilder out = new StringBuilder();
        for (ConfChangeSingle change : cc.getChangesList()) {
            char op = switch (change.getType()) {
                case ConfChangeAddNode -> 'v';
                case ConfChangeAddLearnerNode -> 'l';
                case ConfChangeRemoveNode -> 'r';
                case ConfChangeUpdateNode -> 'u';
            };
            out.append(out.length() > 0 ? " " : "").append(op).append(change.getNodeId());
        }
        if (cc.getTransition() == ConfChangeTransition.ConfChangeTransitionJointImplicit) {
            out.append(out.length() > 0 ? " " : "").append("transition=implicit");
        } else if (cc.getTransition() == ConfChangeTransition.ConfChangeTransitionJointExplicit) {
            out.append(out.length() > 0 ? " " : "").append("transition=explicit");
        }
        return out.length() == 0 ? "leave-joint" : out.toString();
    }

    private static String ids(List<Long> ids) {
        StringBuilder out = new StringBuilder("(");
        for (long id : new TreeSet<>(ids)) {
            out.append(out.length() > 1 ? " " : "").append(id);
        }
        return out.append(')').toString();
    }

    /** A mutable copy of a {@link ConfState} while changes are applied (etcd's copied {@code tracker.Config}). */
    private static final class Config {
        final SortedSet<Long> incoming;
        final SortedSet<Long> outgoing;
        final SortedSet<Long> learners;
        final SortedSet<Long> learnersNext;
        boolean autoLeave;

        Config(ConfState cs) {
            incoming = new TreeSet<>(cs.getVotersList());
            outgoing = new TreeSet<>(cs.getVotersOutgoingList());
            learners = new TreeSet<>(cs.getLearnersList());
            learnersNext = new TreeSet<>(cs.getLearnersNextList());
            autoLeave = cs.getAutoLeave();
        }

        void apply(List<ConfChangeSingle> changes) {
            for (ConfChangeSingle change : changes) {
                long id = change.getNodeId();
                if (id == 0) {
                    continue;
                }
                switch (change.getType()) {
                    case ConfChangeAddNode -> makeVoter(id);
                    case ConfChangeAddLearnerNode -> makeLearner(id);
                    case ConfChangeRemoveNode -> remove(id);
                    case ConfChangeUpdateNode -> {
                    }
                }
            }
            if (incoming.isEmpty()) {
                throw new ConfChangeException("removed all voters");
            }
        }

        private void makeVoter(long id) {
            learners.remove(id);
            learnersNext.remove(id);
            incoming.add(id);
        }

        private void makeLearner(long id) {
            if (learners.contains(id)) {
                return;
            }
            remove(id);
            if (outgoing.contains(id)) {
                // Still votes in the outgoing half: it becomes a learner when the joint config is left.
                learnersNext.add(id);
            } else {
                learners.add(id);
            }
        }

        private void remove(long id) {
            incoming.remove(id);
            learners.remove(id);
            learnersNext.remove(id);
        }

        ConfState build() {
            check();
            return ConfState.newBuilder().addAllVoters(incoming).addAllLearners(learners)
                .addAllVotersOutgoing(outgoing).addAllLearnersNext(learnersNext).setAutoLeave(autoLeave).build();
        }

        /** etcd {@code checkInvariants}: a result that breaks one is a bug in this class. */
        private void check() {
            for (long id : learnersNext) {
                invariant(outgoing.contains(id), id + " is in LearnersNext, but not Voters[1]");
                invariant(!learners.contains(id), id + " is in LearnersNext, but is already marked as learner");
            }
            for (long id : learners) {
                invariant(!outgoing.contains(id), id + " is in Learners and Voters[1]");
                invariant(!incoming.contains(id), id + " is in Learners and Voters[0]");
            }
            if (outgoing.isEmpty()) {
                invariant(learnersNext.isEmpty(), "cfg.LearnersNext must be nil when not joint");
                invariant(!autoLeave, "AutoLeave must be false when not joint");
            }
        }

        private static void invariant(boolean condition, String message) {
            if (!condition) {
                throw new IllegalStateException("raft: conf change invariant: " + message);
            }
        }
    }
}
