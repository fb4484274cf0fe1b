package io.cairn.raft;

import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;

/** Message handling of a follower (etcd {@code stepFollower}) and the follower side of replication. */
final class FollowerStep {
    private FollowerStep() {
    }

    static StepResult step(Raft r, Message m) {
        switch (m.getType()) {
            case MsgProp -> {
                if (r.role.lead == Raft.NONE) {
                    return StepResult.DROPPED_NO_LEADER;
                }
                r.send(m.toBuilder().setTo(r.role.lead));
                return StepResult.FORWARDED;
            }
            case MsgApp -> {
                heardFromLeader(r, m);
                handleAppendEntries(r, m);
            }
            case MsgHeartbeat -> {
                heardFromLeader(r, m);
                handleHeartbeat(r, m);
            }
            case MsgSnap -> {
                heardFromLeader(r, m);
                handleSnapshot(r, m);
            }
            case MsgTransferLeader, MsgReadIndex -> {
                if (r.role.lead != Raft.NONE) {
                    r.send(m.toBuilder().setTo(r.role.lead));
                }
            }
            case MsgTimeoutNow -> r.hup(Raft.CampaignType.TRANSFER);
            case MsgReadIndexResp -> {
                if (m.getEntriesCount() == 1) {
                    r.readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData()));
                }
            }
            default -> {
                // Stale responses and messages for other roles are ignored.
            }
        }
        return StepResult.OK;
    }

    private static void heardFromLeader(Raft r, Message m) {
        r.role.electionElapsed = 0;
        r.role.lead = m.getFrom();
    }

    /** Raft paper 5.3: accept entries only if our log matches at the leader's previous entry. */
    static void handleAppendEntries(Raft r, Message m) {
        if (m.getIndex() < r.log.committed()) {
            r.send(Raft.message(MessageType.MsgAppResp, m.getFrom()).setIndex(r.log.committed()));
            return;
        }
        long lastNewIndex = r.log.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
        if (lastNewIndex >= 0) {
            r.send(Raft.message(MessageType.MsgAppResp, m.getFrom()).setIndex(lastNewIndex));
            return;
        }
        // Hint where our log could match so the leader can skip a whole conflicting term per round trip.
        long hintIndex = Math.min(m.getIndex(), r.log.lastIndex());
        long[] hint = r.log.findConflictByTerm(hintIndex, m.getLogTerm());
        r.send(Raft.message(MessageType.MsgAppResp, m.getFrom()).setIndex(m.getIndex()).setReject(true)
            .setRejectHint(hint[0]).setLogTerm(hint[1]));
    }

    static void handleHeartbeat(Raft r, Message m) {
        r.log.commitTo(m.getCommit());
        Message.Builder resp = Raft.message(MessageType.MsgHeartbeatResp, m.getFrom());
        if (m.hasContext()) {
            resp.setContext(m.getContext());
        }
        r.send(resp);
    }

    static void handleSnapshot(Raft r, Message m) {
        long index = restore(r, m.getSnapshot()) ? r.log.lastIndex() : r.log.committed();
        r.send(Raft.message(MessageType.MsgAppResp, m.getFrom()).setIndex(index));
    }

    /** Installs {@code snapshot} unless we already have its entries; returns whether it was installed. */
    private static boolean restore(Raft r, Snapshot snapshot) {
        long index = snapshot.getMetadata().getIndex();
        if (index <= r.log.committed()) {
            return false;
        }
        if (r.role.state != StateRole.FOLLOWER) {
            // Defensive (etcd does the same): only followers install snapshots.
            r.becomeFollower(r.role.term + 1, Raft.NONE);
            return false;
        }
        ConfState cs = snapshot.getMetadata().getConfState();
        boolean member = cs.getVotersList().contains(r.id) || cs.getLearnersList().contains(r.id)
            || cs.getVotersOutgoingList().contains(r.id);
        if (!member) {
            return false;
        }
        if (r.log.matchTerm(index, snapshot.getMetadata().getTerm())) {
            // We have the entries: fast-forward the commit instead of replacing the log.
            r.log.commitTo(index);
            return false;
        }
        r.log.restore(snapshot);
        r.applyConfState(cs);
        r.info("%d [commit: %d] restored snapshot [index: %d, term: %d]", r.id, r.log.committed(), index,
            snapshot.getMetadata().getTerm());
        return true;
    }
}
