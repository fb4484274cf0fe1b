package io.cairn.raft;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;

/** Message handling of a candidate or pre-candidate (etcd {@code stepCandidate}). */
final class CandidateStep {
    private CandidateStep() {
    }

    static StepResult step(Raft r, Message m) {
        MessageType myVoteResp = r.role.state == StateRole.PRE_CANDIDATE ? MessageType.MsgPreVoteResp
            : MessageType.MsgVoteResp;
        switch (m.getType()) {
            case MsgProp -> {
                return StepResult.DROPPED_NO_LEADER;
            }
            case MsgApp -> {
                // Raft paper 5.2: a leader of our term (or newer) exists; go back to following.
                r.becomeFollower(m.getTerm(), m.getFrom());
                FollowerStep.handleAppendEntries(r, m);
            }
            case MsgHeartbeat -> {
                r.becomeFollower(m.getTerm(), m.getFrom());
                FollowerStep.handleHeartbeat(r, m);
            }
            case MsgSnap -> {
                r.becomeFollower(m.getTerm(), m.getFrom());
                FollowerStep.handleSnapshot(r, m);
            }
            default -> {
                if (m.getType() == myVoteResp) {
                    countVote(r, m);
                }
            }
        }
        return StepResult.OK;
    }

    private static void countVote(Raft r, Message m) {
        switch (r.poll(m.getFrom(), !m.getReject())) {
            case WON -> {
                if (r.role.state == StateRole.PRE_CANDIDATE) {
                    r.campaign(Raft.CampaignType.ELECTION);
                } else {
                    r.becomeLeader();
                    LeaderStep.broadcastAppend(r);
                }
            }
            case LOST -> r.becomeFollower(r.role.term, Raft.NONE);
            case PENDING -> {
            }
        }
    }
}
