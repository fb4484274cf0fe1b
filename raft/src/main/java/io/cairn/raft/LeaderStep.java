package io.cairn.raft;

import com.google.protobuf.ByteString;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.confchange.ConfChangeException;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.quorum.VoteResult;
import io.cairn.raft.tracker.Progress;
import io.cairn.raft.tracker.ProgressState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Message handling of a leader (the first half of etcd's {@code stepLeader}) and replication to followers. */
final class LeaderStep {
    private LeaderStep() {
    }

    static StepResult step(Raft r, Message m) {
        switch (m.getType()) {
            case MsgBeat -> {
                broadcastHeartbeat(r);
                return StepResult.OK;
            }
            case MsgCheckQuorum -> {
                checkQuorum(r);
                return StepResult.OK;
            }
            case MsgProp -> {
                return propose(r, m);
            }
            case MsgReadIndex -> {
                readIndex(r, m);
                return StepResult.OK;
            }
            default -> {
                Progress pr = r.tracker.progress(m.getFrom());
                if (pr != null) {
                    LeaderResponses.step(r, pr, m);
                }
                return StepResult.OK;
            }
        }
    }

    /** Raft thesis 6.2 (CheckQuorum): step down unless a quorum was active during the last election timeout. */
    private static void checkQuorum(Raft r) {
        if (!r.tracker.quorumActive()) {
            r.info("%d stepped down to follower since quorum is not active", r.id);
            r.becomeFollower(r.role.term, Raft.NONE);
        }
        for (Map.Entry<Long, Progress> entry : r.tracker.progressById().entrySet()) {
            entry.getValue().setRecentActive(entry.getKey() == r.id);
        }
    }

    private static StepResult propose(Raft r, Message m) {
        RaftInvariantException.check(m.getEntriesCount() > 0, "%d stepped empty MsgProp", r.id);
        Progress self = r.tracker.progress(r.id);
        if (self == null || self.isLearner()) {
            return StepResult.DROPPED_NOT_MEMBER;
        }
        if (r.role.leadTransferee != Raft.NONE) {
            return StepResult.DROPPED_LEADER_TRANSFER;
        }
        List<Entry> entries = new ArrayList<>(m.getEntriesList());
        boolean refused = false;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getType() == EntryType.EntryNormal) {
                continue;
            }
            String refusal = confChangeRefusal(r, entries.get(i));
            if (refusal != null) {
                r.info("%d ignoring conf change %s at config %s: %s", r.id, describe(entries.get(i)),
                    r.tracker.voters(), refusal);
                entries.set(i, Entry.newBuilder().setType(EntryType.EntryNormal).build());
                refused = true;
            } else {
                r.role.pendingConfIndex = r.log.lastIndex() + i + 1;
            }
        }
        if (!r.appendEntries(entries)) {
            return StepResult.DROPPED_UNCOMMITTED_LIMIT;
        }
        broadcastAppend(r);
        return refused ? StepResult.DROPPED_CONF_CHANGE : StepResult.OK;
    }

    private static String describe(Entry entry) {
        try {
            ConfChangeV2 cc = Changer.decode(entry);
            return cc == null ? "none" : Changer.describe(cc);
        } catch (ConfChangeException e) {
            return "undecodable";
        }
    }

    /** Why the leader must not append conf-change {@code entry} (etcd stepLeader's checks), or null if it may. */
    static String confChangeRefusal(Raft r, Entry entry) {
        ConfChangeV2 cc;
        try {
            cc = Changer.decode(entry);
        } catch (ConfChangeException e) {
            return e.getMessage();
        }
        boolean wantsLeaveJoint = cc.getChangesCount() == 0;
        boolean alreadyJoint = r.tracker.voters().isJoint();
        if (r.role.pendingConfIndex > r.log.applied()) {
            return "possible unapplied conf change at index " + r.role.pendingConfIndex + " (applied to "
                + r.log.applied() + ")";
        }
        if (alreadyJoint && !wantsLeaveJoint) {
            return "must transition out of joint config first";
        }
        if (!alreadyJoint && wantsLeaveJoint) {
            return "not in joint state; refusing empty conf change";
        }
        return null;
    }

    private static void readIndex(Raft r, Message m) {
        if (!r.promotable()) {
            // Handing over after our own removal or demotion (Raft.handOffLeadership): a new leader may already
            // commit without us, and "singleton" would now mean someone else's vote. Drop it like a leaderless node.
            r.debug("%d is no longer a voter, dropping read index request", r.id);
            return;
        }
        if (r.tracker.isSingleton()) {
            r.respondToReadIndex(m, r.log.committed());
            return;
        }
        // Raft thesis 6.4: the commit index is only known to be current once an entry of this term committed.
        if (!r.committedEntryInCurrentTerm()) {
            r.pendingReadIndexMessages.add(m);
            return;
        }
        confirmReadIndex(r, m);
    }

    static void confirmReadIndex(Raft r, Message m) {
        if (r.readOnly.option() == ReadOnlyOption.SAFE) {
            r.readOnly.add(r.log.committed(), m);
            r.readOnly.recvAck(r.id, m.getEntries(0).getData());
            broadcastHeartbeat(r, m.getEntries(0).getData());
        } else {
            r.respondToReadIndex(m, r.log.committed());
        }
    }

    static void releasePendingReadIndexMessages(Raft r) {
        if (r.pendingReadIndexMessages.isEmpty() || !r.committedEntryInCurrentTerm()) {
            return;
        }
        List<Message> pending = new ArrayList<>(r.pendingReadIndexMessages);
        r.pendingReadIndexMessages.clear();
        for (Message m : pending) {
            confirmReadIndex(r, m);
        }
    }

    // ---- replication ----

    static void broadcastAppend(Raft r) {
        for (Long peer : r.tracker.progressById().keySet()) {
            if (peer != r.id) {
                sendAppend(r, peer);
            }
        }
    }

    static void sendAppend(Raft r, long to) {
        maybeSendAppend(r, to, true);
    }

    /**
     * Sends an append with entries from {@code next} (or a snapshot if they are compacted) unless flow control
     * pauses this follower; returns whether a message was sent.
     */
    static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
        Progress pr = r.tracker.progress(to);
        if (pr.isPaused()) {
            return false;
        }
        TermResult prevTerm = r.log.term(pr.next() - 1);
        List<Entry> entries;
        try {
            entries = r.log.entries(pr.next(), r.config.maxSizePerMsgBytes());
        } catch (CompactedException e) {
            return sendSnapshot(r, to, pr);
        }
        if (!prevTerm.isFound()) {
            return sendSnapshot(r, to, pr);
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        Message.Builder m = Raft.message(MessageType.MsgApp, to).setIndex(pr.next() - 1)
            .setLogTerm(prevTerm.term()).addAllEntries(entries).setCommit(r.log.committed());
        if (!entries.isEmpty()) {
            if (pr.state() == ProgressState.REPLICATE) {
                long last = entries.get(entries.size() - 1).getIndex();
                pr.optimisticUpdate(last);
                pr.inflights().add(last, Raft.payloadSize(entries));
            } else {
                RaftInvariantException.check(pr.state() == ProgressState.PROBE, "%d is sending append in state %s",
                    r.id, pr.state());
                pr.pauseMsgApp();
            }
        }
        r.send(m);
        return true;
    }

    private static boolean sendSnapshot(Raft r, long to, Progress pr) {
        if (!pr.recentActive()) {
            return false;
        }
        Snapshot snapshot = r.log.snapshot();
        RaftInvariantException.check(snapshot.getMetadata().getIndex() != 0, "need non-empty snapshot for %d", to);
        pr.becomeSnapshot(snapshot.getMetadata().getIndex());
        r.info("%d [firstindex: %d, commit: %d] sent snapshot[index: %d, term: %d] to %d", r.id, r.log.firstIndex(),
            r.log.committed(), snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm(), to);
        r.send(Raft.message(MessageType.MsgSnap, to).setSnapshot(snapshot));
        return true;
    }

    static void broadcastHeartbeat(Raft r) {
        broadcastHeartbeat(r, r.readOnly.lastPendingContext());
    }

    private static void broadcastHeartbeat(Raft r, ByteString context) {
        for (Map.Entry<Long, Progress> entry : r.tracker.progressById().entrySet()) {
            long peer = entry.getKey();
            if (peer == r.id) {
                continue;
            }
            // A follower must not commit entries it may not have: cap the commit at its match index.
            long commit = Math.min(entry.getValue().match(), r.log.committed());
            Message.Builder m = Raft.message(MessageType.MsgHeartbeat, peer).setCommit(commit);
            if (!context.isEmpty()) {
                m.setContext(context);
            }
            r.send(m);
        }
    }

    static void sendTimeoutNow(Raft r, long to) {
        r.send(Raft.message(MessageType.MsgTimeoutNow, to));
    }

    static boolean quorumConfirms(Raft r, Map<Long, Boolean> acks) {
        return acks != null && r.tracker.voters().voteResult(acks) == VoteResult.WON;
    }
}
