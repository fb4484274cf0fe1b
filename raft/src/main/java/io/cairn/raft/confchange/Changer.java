package io.cairn.raft.confchange;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Computes the configuration after a simple change (etcd {@code Changer.Simple}). Pure: the input is never
 * modified, ids in the result are ascending.
 *
 * <pre>
 *   AddNode         makes a voter (a learner is promoted; already a voter: no-op)
 *   AddLearnerNode  makes a learner (a voter is demoted; already a learner: no-op)
 *   RemoveNode      removes a voter or learner (absent: no-op)
 *   UpdateNode      changes nothing here (the application updates its address book)
 * </pre>
 * The result must keep at least one voter and differ from the input in at most one voter.
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

    /** The change carried by a conf-change entry, as a {@link ConfChangeV2}; empty entries (no-ops) give null. */
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

    /** etcd {@code ConfChangeV2.LeaveJoint}: an automatic change without operations. */
    public static boolean isLeaveJoint(ConfChangeV2 cc) {
        return cc.getChangesCount() == 0 && cc.getTransition() == ConfChangeTransition.ConfChangeTransitionAuto;
    }

    /** etcd {@code ConfChangeV2.EnterJoint}: several operations or an explicit joint transition. */
    public static boolean entersJoint(ConfChangeV2 cc) {
        return cc.getTransition() != ConfChangeTransition.ConfChangeTransitionAuto || cc.getChangesCount() > 1;
    }

    /**
     * The configuration after applying {@code cc} to {@code current}.
     *
     * @throws ConfChangeException if {@code cc} needs joint consensus, {@code current} is joint, the change would
     *     remove every voter, or more than one voter would change
     */
    public static ConfState apply(ConfState current, ConfChangeV2 cc) {
        if (entersJoint(cc) || isLeaveJoint(cc)) {
            throw new ConfChangeException("joint consensus is not supported yet: " + describe(cc));
        }
        if (current.getVotersOutgoingCount() > 0) {
            throw new ConfChangeException("can't apply simple config change in joint config " + current);
        }
        SortedSet<Long> voters = new TreeSet<>(current.getVotersList());
        SortedSet<Long> learners = new TreeSet<>(current.getLearnersList());
        for (ConfChangeSingle change : cc.getChangesList()) {
            long id = change.getNodeId();
            if (id == 0) {
                continue;
            }
            switch (change.getType()) {
                case ConfChangeAddNode -> {
                    learners.remove(id);
                    voters.add(id);
                }
                case ConfChangeAddLearnerNode -> {
                    voters.remove(id);
                    learners.add(id);
                }
                case ConfChangeRemoveNode -> {
                    voters.remove(id);
                    learners.remove(id);
                }
                case ConfChangeUpdateNode -> {
                }
            }
        }
        if (voters.isEmpty()) {
            throw new ConfChangeException("removed all voters: " + describe(cc) + " on voters "
                + current.getVotersList());
        }
        SortedSet<Long> changed = new TreeSet<>(voters);
        changed.addAll(current.getVotersList());
        changed.removeIf(id -> voters.contains(id) && current.getVotersList().contains(id));
        if (changed.size() > 1) {
            throw new ConfChangeException("more than one voter changed without entering joint config: " + changed);
        }
        return ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).setAutoLeave(false).build();
    }

    static String describe(ConfChangeV2 cc) {
        StringBuilder out = new StringBuilder(cc.getTransition().name()).append('[');
        for (ConfChangeSingle change : cc.getChangesList()) {
            out.append(' ').append(change.getType().name()).append('(').append(change.getNodeId()).append(')');
        }
        return out.append(" ]").toString();
    }
}
