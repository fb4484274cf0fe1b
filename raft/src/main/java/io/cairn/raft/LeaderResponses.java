package io.cairn.raft;

import io.cairn.raft.pb.Message;
import io.cairn.raft.tracker.Progress;
import io.cairn.raft.tracker.ProgressState;

/** A leader's handling of messages from a known peer (the second half of etcd's {@code stepLeader}). */
final class LeaderResponses {
    private LeaderResponses() {
    }

    static void step(Raft r, Progress pr, Message m) {
        switch (m.getType()) {
            case MsgAppResp -> handleAppendResponse(r, pr, m);
            case MsgHeartbeatResp -> handleHeartbeatResponse(r, pr, m);
            case MsgSnapStatus -> {
                if (pr.state() == ProgressState.SNAPSHOT) {
                    // On failure forget the pending snapshot; either way probe from what the follower reports.
                    if (m.getReject()) {
                        pr.abortSnapshot();
                    }
                    pr.becomeProbe();
                    pr.pauseMsgApp();
                }
            }
            case MsgUnreachable -> {
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
            }
            case MsgTransferLeader -> transferLeader(r, pr, m.getFrom());
            default -> {
                // Vote responses after winning, stale messages: nothing to do.
            }
        }
    }

    private static void handleAppendResponse(Raft r, Progress pr, Message m) {
        pr.setRecentActive(true);
        if (m.getReject()) {
            long nextProbe = m.getRejectHint();
            if (m.getLogTerm() > 0) {
                // Skip all entries of the follower's conflicting term at once (raft thesis 5.3 optimization).
                nextProbe = r.log.findConflictByTerm(m.getRejectHint(), m.getLogTerm())[0];
            }
            if (pr.maybeDecrTo(m.getIndex(), nextProbe)) {
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                LeaderStep.sendAppend(r, m.getFrom());
            }
            return;
        }
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.getIndex())) {
            return;
        }
        switch (pr.state()) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match() >= pr.pendingSnapshot()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights().freeLE(m.getIndex());
        }
        if (r.maybeCommit()) {
            LeaderStep.releasePendingReadIndexMessages(r);
            LeaderStep.broadcastAppend(r);
        } else if (wasPaused) {
            LeaderStep.sendAppend(r, m.getFrom());
        }
        // Pipelining: keep sending while flow control allows and there is something new.
        while (LeaderStep.maybeSendAppend(r, m.getFrom(), false)) {
            continue;
        }
        if (m.getFrom() == r.role.leadTransferee && pr.match() == r.log.lastIndex()) {
            LeaderStep.sendTimeoutNow(r, m.getFrom());
        }
    }

    private static void handleHeartbeatResponse(Raft r, Progress pr, Message m) {
        pr.setRecentActive(true);
        pr.resumeMsgApp();
        if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < r.log.lastIndex()) {
            LeaderStep.sendAppend(r, m.getFrom());
        } else if (m.getFrom() == r.role.leadTransferee && !r.promotable()) {
            // Handing over after our removal (Raft.handOffLeadership): a lost MsgTimeoutNow must not end it.
            LeaderStep.sendTimeoutNow(r, m.getFrom());
        }
        if (r.readOnly.option() != ReadOnlyOption.SAFE || m.getContext().isEmpty()) {
            return;
        }
        if (!LeaderStep.quorumConfirms(r, r.readOnly.recvAck(m.getFrom(), m.getContext()))) {
            return;
        }
        for (ReadOnlyRequests.Pending confirmed : r.readOnly.advance(m.getContext())) {
            r.respondToReadIndex(confirmed.request(), confirmed.index());
        }
    }

    /** Raft thesis 3.10: catch the transferee up, then tell it to campaign at once (MsgTimeoutNow). */
    static void transferLeader(Raft r, Progress pr, long transferee) {
        if (pr.isLearner()) {
            return;
        }
        if (r.role.leadTransferee != Raft.NONE) {
            if (r.role.leadTransferee == transferee) {
                return;
            }
            r.role.leadTransferee = Raft.NONE;
        }
        if (transferee == r.id) {
            return;
        }
        // The transfer must finish within one election timeout, else it is aborted (see Raft.tickHeartbeat).
        r.info("%d [term %d] starts to transfer leadership to %d", r.id, r.role.term, transferee);
        r.role.electionElapsed = 0;
        r.role.leadTransferee = transferee;
        if (pr.match() == r.log.lastIndex()) {
            LeaderStep.sendTimeoutNow(r, transferee);
        } else {
            LeaderStep.sendAppend(r, transferee);
        }
    }
}
