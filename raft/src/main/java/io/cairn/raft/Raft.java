package io.cairn.raft;

import com.google.protobuf.ByteString;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.quorum.JointConfig;
import io.cairn.raft.quorum.MajorityConfig;
import io.cairn.raft.quorum.VoteResult;
import io.cairn.raft.tracker.Progress;
import io.cairn.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's raft state and the transitions shared by all roles (etcd {@code raft} struct). Role-specific message
 * handling is in {@link LeaderStep}, {@link FollowerStep} and {@link CandidateStep}; {@link #step(Message)} does the
 * term checks of raft paper 5.1 and votes (5.2, 5.4.1) before dispatching.
 */
final class Raft {
    static final long NONE = 0;
    /** Context of a MsgVote sent because of a leadership transfer: it overrides the leader lease. */
    static final ByteString CAMPAIGN_TRANSFER = ByteString.copyFromUtf8("CampaignTransfer");

    enum CampaignType { PRE_ELECTION, ELECTION, TRANSFER }

    final long id;
    final RaftConfig config;
    final RaftLog log;
    final ProgressTracker tracker;
    final RoleState role = new RoleState();
    ReadOnlyRequests readOnly;
    final List<Message> msgs = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();
    /** ReadIndex requests that arrived before the leader committed an entry of its term. */
    final List<Message> pendingReadIndexMessages = new ArrayList<>();

    /** Mutable per-term bookkeeping, grouped to keep this class's field count small. */
    static final class RoleState {
        long term;
        long vote;
        long lead;
        StateRole state = StateRole.FOLLOWER;
        long leadTransferee;
        long pendingConfIndex;
        long uncommittedSizeBytes;
        int electionElapsed;
        int heartbeatElapsed;
        int randomizedElectionTimeout;
    }

    Raft(RaftConfig config, RaftStorage storage) {
        this.id = config.id();
        this.config = config;
        this.log = new RaftLog(storage, config.maxCommittedSizePerReadyBytes());
        this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        this.readOnly = new ReadOnlyRequests(config.readOnlyOption());
        RaftStorage.InitialState initial = storage.initialState();
        applyConfState(initial.confState());
        HardState hard = initial.hardState();
        if (!hard.equals(HardState.getDefaultInstance())) {
            loadState(hard);
        }
        becomeFollower(role.term, NONE);
    }

    private void loadState(HardState state) {
        RaftInvariantException.check(state.getCommit() >= log.committed() && state.getCommit() <= log.lastIndex(),
            "%d state.commit %d is out of range [%d, %d]", id, state.getCommit(), log.committed(), log.lastIndex());
        log.commitTo(state.getCommit());
        role.term = state.getTerm();
        role.vote = state.getVote();
    }

    /** Replaces the membership with {@code cs} (bootstrap and snapshot restore). */
    void applyConfState(ConfState cs) {
        JointConfig voters = new JointConfig(new MajorityConfig(cs.getVotersList()),
            new MajorityConfig(cs.getVotersOutgoingList()));
        tracker.setConfig(voters, cs.getLearnersList(), cs.getLearnersNextList(), cs.getAutoLeave(),
            log.lastIndex() + 1);
        Progress self = tracker.progress(id);
        if (self != null) {
            self.maybeUpdate(log.lastIndex());
        }
    }

    /**
     * Applies a committed membership change (etcd {@code applyConfChange}): simple, entering or leaving a joint
     * config; returns the new membership.
     */
    ConfState applyConfChange(ConfChangeV2 cc) {
        ConfState next = Changer.apply(tracker.confState(), cc);
        Set<Long> before = new HashSet<>(tracker.progressById().keySet());
        applyConfState(next);
        for (Map.Entry<Long, Progress> member : tracker.progressById().entrySet()) {
            if (!before.contains(member.getKey())) {
                // A new member has not had a chance to respond yet; do not let CheckQuorum count it as lost.
                member.getValue().setRecentActive(true);
            }
        }
        info("%d switched to configuration %s", id, Changer.describe(next));
        switchedConfig();
        return next;
    }

    /**
     * etcd {@code switchToConfig}: a leader re-checks its commit and tells followers; a leader that is no longer a
     * voter hands leadership off ({@link #handOffLeadership()}).
     */
    private void switchedConfig() {
        if (role.state != StateRole.LEADER) {
            return;
        }
        if (maybeCommit()) {
            LeaderStep.broadcastAppend(this);
        } else {
            for (Long peer : tracker.progressById().keySet()) {
                if (peer != id) {
                    LeaderStep.maybeSendAppend(this, peer, false);
                }
            }
        }
        if (role.leadTransferee != NONE && !tracker.voters().contains(role.leadTransferee)) {
            role.leadTransferee = NONE;
        }
        if (!promotable()) {
            handOffLeadership();
        }
    }

    /**
     * A leader that applied its own removal or demotion (raft thesis 4.2.2) stops taking proposals and transfers
     * leadership to the most up-to-date voter (etcd's TODO in {@code switchToConfig}): it keeps replicating until
     * that voter has its whole log, then sends MsgTimeoutNow, and steps down once the voter campaigns (a newer term
     * reaches it) or a quorum stops answering ({@link #retryHandOff()}). Stepping down at once (etcd
     * {@code StepDownOnRemoval}) can leave the others without a leader: if they never learned that the removal
     * committed they still count this node as a voter, and it refuses them its vote while its log is longer.
     */
    private void handOffLeadership() {
        long best = NONE;
        long bestMatch = -1;
        for (long voter : tracker.voters().ids()) {
            Progress pr = tracker.progress(voter);
            if (voter != id && pr != null && pr.match() > bestMatch) {
                best = voter;
                bestMatch = pr.match();
            }
        }
        if (best == NONE) {
            becomeFollower(role.term, NONE);
            return;
        }
        info("%d is no longer a voter, hands leadership over to %d", id, best);
        LeaderResponses.transferLeader(this, tracker.progress(best), best);
    }

    /**
     * An election timeout passed and the hand-over is not done (lost messages, or the transferee could not campaign
     * yet). While a quorum of voters still answers in our term, no other leader can exist: try again. Once they
     * stop answering (they follow a newer term, or are cut off), step down (with CheckQuorum on, that check has
     * already run).
     */
    private void retryHandOff() {
        if (!config.checkQuorum()) {
            boolean active = tracker.quorumActive();
            for (Progress pr : tracker.progressById().values()) {
                pr.setRecentActive(false);
            }
            if (!active) {
                info("%d is no longer a voter and lost touch with a quorum: stepping down", id);
                becomeFollower(role.term, NONE);
                return;
            }
        }
        handOffLeadership();
    }

    /**
     * etcd {@code appliedTo}'s automatic transition: once a leader applied the entry that entered an auto-leave joint
     * config, it proposes the empty change that leaves it. A dropped proposal (leadership transfer) is retried on
     * the next call.
     */
    void maybeAutoLeave() {
        if (role.state != StateRole.LEADER || !tracker.autoLeave() || log.applied() < role.pendingConfIndex) {
            return;
        }
        Entry leave = Entry.newBuilder().setType(EntryType.EntryConfChangeV2).build();
        StepResult result = step(message(MessageType.MsgProp, NONE).setFrom(id).addEntries(leave).build());
        if (result == StepResult.OK) {
            info("%d initiating automatic transition out of joint configuration %s", id, tracker.voters());
        } else {
            debug("%d not initiating automatic transition out of joint configuration %s: %s", id, tracker.voters(),
                result);
        }
    }

    HardState hardState() {
        return HardState.newBuilder().setTerm(role.term).setVote(role.vote).setCommit(log.committed()).build();
    }

    SoftState softState() {
        return new SoftState(role.lead, role.state);
    }

    boolean promotable() {
        Progress self = tracker.progress(id);
        return self != null && !self.isLearner() && !log.hasPendingSnapshot();
    }

    // ---- sending ----

    /** Queues {@code m} with from = this node and the current term (except votes and local-term-less types). */
    void send(Message.Builder m) {
        m.setFrom(id);
        MessageType type = m.getType();
        if (type == MessageType.MsgVote || type == MessageType.MsgVoteResp || type == MessageType.MsgPreVote
            || type == MessageType.MsgPreVoteResp) {
            RaftInvariantException.check(m.getTerm() != 0, "term should be set when sending %s", type);
        } else {
            RaftInvariantException.check(m.getTerm() == 0, "term should not be set when sending %s (was %d)",
                type, m.getTerm());
            if (type != MessageType.MsgProp && type != MessageType.MsgReadIndex) {
                m.setTerm(role.term);
            }
        }
        msgs.add(m.build());
    }

    // ---- logging ----

    void debug(String format, Object... args) {
        log(RaftLogger.Level.DEBUG, format, args);
    }

    void info(String format, Object... args) {
        log(RaftLogger.Level.INFO, format, args);
    }

    private void log(RaftLogger.Level level, String format, Object... args) {
        if (config.logger().enabled(level)) {
            config.logger().log(level, String.format(format, args));
        }
    }

    static Message.Builder message(MessageType type, long to) {
        return Message.newBuilder().setType(type).setTo(to);
    }

    // ---- role transitions ----

    void reset(long term) {
        if (role.term != term) {
            role.term = term;
            role.vote = NONE;
        }
        role.lead = NONE;
        role.electionElapsed = 0;
        role.heartbeatElapsed = 0;
        resetRandomizedElectionTimeout();
        role.leadTransferee = NONE;
        tracker.resetVotes();
        long lastIndex = log.lastIndex();
        for (Long peer : tracker.progressById().keySet()) {
            Progress old = tracker.progress(peer);
            Progress fresh = tracker.newProgress(0, lastIndex + 1, old.isLearner());
            if (peer == id) {
                fresh.maybeUpdate(lastIndex);
            }
            tracker.resetProgress(peer, fresh);
        }
        role.pendingConfIndex = 0;
        role.uncommittedSizeBytes = 0;
        readOnly = new ReadOnlyRequests(config.readOnlyOption());
    }

    void resetRandomizedElectionTimeout() {
        role.randomizedElectionTimeout = config.electionTicks() + config.random().nextInt(config.electionTicks());
    }

    void becomeFollower(long term, long lead) {
        reset(term);
        role.lead = lead;
        role.state = StateRole.FOLLOWER;
        info("%d became follower at term %d", id, role.term);
    }

    void becomeCandidate() {
        RaftInvariantException.check(role.state != StateRole.LEADER, "invalid transition [leader -> candidate]");
        reset(role.term + 1);
        role.vote = id;
        role.state = StateRole.CANDIDATE;
        info("%d became candidate at term %d", id, role.term);
    }

    void becomePreCandidate() {
        RaftInvariantException.check(role.state != StateRole.LEADER, "invalid transition [leader -> pre-candidate]");
        // Raft thesis 9.6: a pre-candidate changes neither term nor vote.
        tracker.resetVotes();
        role.lead = NONE;
        role.state = StateRole.PRE_CANDIDATE;
        info("%d became pre-candidate at term %d", id, role.term);
    }

    void becomeLeader() {
        RaftInvariantException.check(role.state != StateRole.FOLLOWER, "invalid transition [follower -> leader]");
        reset(role.term);
        role.lead = id;
        role.state = StateRole.LEADER;
        info("%d became leader at term %d", id, role.term);
        Progress self = tracker.progress(id);
        if (self != null) {
            self.becomeReplicate();
            self.setRecentActive(true);
        }
        // Conservatively treat the whole log as possibly holding an unapplied conf change.
        role.pendingConfIndex = log.lastIndex();
        // Raft paper 5.4.2 / 8: an empty entry of the new term lets the leader commit earlier entries.
        boolean appended = appendEntries(List.of(Entry.newBuilder().setType(EntryType.EntryNormal).build()));
        RaftInvariantException.check(appended, "empty entry was dropped");
        if (!promotable()) {
            // Elected only to hand over (campaignToHandOver).
            handOffLeadership();
        }
    }

    // ---- elections ----

    void hup(CampaignType type) {
        if (role.state == StateRole.LEADER) {
            debug("%d ignoring MsgHup because already leader", id);
            return;
        }
        if (!promotable()) {
            info("%d is unpromotable and can not campaign", id);
            return;
        }
        if (hasUnappliedConfChanges()) {
            info("%d cannot campaign at term %d since there are still pending configuration changes to apply", id,
                role.term);
            return;
        }
        info("%d is starting a new election at term %d", id, role.term);
        campaign(type);
    }

    private boolean hasUnappliedConfChanges() {
        if (log.applied() >= log.committed()) {
            return false;
        }
        for (Entry entry : log.slice(log.applied() + 1, log.committed() + 1, Long.MAX_VALUE)) {
            if (entry.getType() != EntryType.EntryNormal) {
                return true;
            }
        }
        return false;
    }

    void campaign(CampaignType type) {
        MessageType voteType;
        long term;
        if (type == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteType = MessageType.MsgPreVote;
            term = role.term + 1;
        } else {
            becomeCandidate();
            voteType = MessageType.MsgVote;
            term = role.term;
        }
        if (poll(id, true) == VoteResult.WON) {
            // Single-node cluster: we won right away.
            if (type == CampaignType.PRE_ELECTION) {
                campaign(CampaignType.ELECTION);
            } else {
                becomeLeader();
            }
            return;
        }
        for (long voter : tracker.voters().ids()) {
            if (voter == id) {
                continue;
            }
            Message.Builder m = message(voteType, voter).setTerm(term).setIndex(log.lastIndex())
                .setLogTerm(log.lastTerm());
            info("%d [logterm: %d, index: %d] sent %s request to %d at term %d", id, log.lastTerm(),
                log.lastIndex(), voteType, voter, role.term);
            if (type == CampaignType.TRANSFER) {
                m.setContext(CAMPAIGN_TRANSFER);
            }
            send(m);
        }
    }

    VoteResult poll(long from, boolean granted) {
        if (from != id) {
            info("%d received %s %s from %d at term %d", id, role.state == StateRole.PRE_CANDIDATE ? "MsgPreVoteResp"
                : "MsgVoteResp", granted ? "grant" : "rejection", from, role.term);
        }
        tracker.recordVote(from, granted);
        ProgressTracker.Tally tally = tracker.tallyVotes();
        if (from != id) {
            info("%d has received %d votes and %d vote rejections", id, tally.granted(), tally.rejected());
        }
        return tally.result();
    }

    // ---- the step function ----

    StepResult step(Message m) {
        if (m.getTerm() > role.term) {
            if (!stepHigherTerm(m)) {
                return StepResult.OK;
            }
        } else if (m.getTerm() != 0 && m.getTerm() < role.term) {
            stepLowerTerm(m);
            return StepResult.OK;
        }
        switch (m.getType()) {
            case MsgHup -> hup(config.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
            case MsgVote, MsgPreVote -> handleVoteRequest(m);
            default -> {
                return switch (role.state) {
                    case LEADER -> LeaderStep.step(this, m);
                    case FOLLOWER -> FollowerStep.step(this, m);
                    case CANDIDATE, PRE_CANDIDATE -> CandidateStep.step(this, m);
                };
            }
        }
        return StepResult.OK;
    }

    /** A message from a higher term; returns false if it must be ignored. */
    private boolean stepHigherTerm(Message m) {
        MessageType type = m.getType();
        if (type == MessageType.MsgVote || type == MessageType.MsgPreVote) {
            boolean force = m.getContext().equals(CAMPAIGN_TRANSFER);
            boolean inLease = config.checkQuorum() && role.lead != NONE
                && role.electionElapsed < config.electionTicks();
            if (!force && inLease) {
                // Raft thesis 4.2.3: while we hear from a leader, ignore disruptive candidates.
                info("%d [logterm: %d, index: %d, vote: %d] ignored %s from %d [logterm: %d, index: %d] at term %d: "
                    + "lease is not expired (remaining ticks: %d)", id, log.lastTerm(), log.lastIndex(), role.vote,
                    type, m.getFrom(), m.getLogTerm(), m.getIndex(), role.term,
                    config.electionTicks() - role.electionElapsed);
                return false;
            }
        }
        if (type == MessageType.MsgPreVote || (type == MessageType.MsgPreVoteResp && !m.getReject())) {
            // Pre-votes never change our term; a granted pre-vote response bumps it once we win.
            return true;
        }
        boolean fromLeader = type == MessageType.MsgApp || type == MessageType.MsgHeartbeat
            || type == MessageType.MsgSnap;
        info("%d [term: %d] received a %s message with higher term from %d [term: %d]", id, role.term, type,
            m.getFrom(), m.getTerm());
        becomeFollower(m.getTerm(), fromLeader ? m.getFrom() : NONE);
        return true;
    }

    private void stepLowerTerm(Message m) {
        MessageType type = m.getType();
        if ((config.checkQuorum() || config.preVote())
            && (type == MessageType.MsgHeartbeat || type == MessageType.MsgApp)) {
            // A leader that was partitioned away learns of the newer term and steps down; without this a node
            // that pre-votes or checks quorum could ignore it forever.
            send(message(MessageType.MsgAppResp, m.getFrom()));
        } else if (type == MessageType.MsgPreVote) {
            send(message(MessageType.MsgPreVoteResp, m.getFrom()).setTerm(role.term).setReject(true));
        }
    }

    private void handleVoteRequest(Message m) {
        boolean canVote = role.vote == m.getFrom() || (role.vote == NONE && role.lead == NONE)
            || (m.getType() == MessageType.MsgPreVote && m.getTerm() > role.term);
        MessageType respType = m.getType() == MessageType.MsgVote ? MessageType.MsgVoteResp
            : MessageType.MsgPreVoteResp;
        boolean grant = canVote && log.isUpToDate(m.getIndex(), m.getLogTerm());
        info("%d [logterm: %d, index: %d, vote: %d] %s %s for %d [logterm: %d, index: %d] at term %d", id,
            log.lastTerm(), log.lastIndex(), role.vote, grant ? "cast" : "rejected", m.getType(), m.getFrom(),
            m.getLogTerm(), m.getIndex(), role.term);
        if (grant) {
            send(message(respType, m.getFrom()).setTerm(m.getTerm()));
            if (m.getType() == MessageType.MsgVote) {
                role.electionElapsed = 0;
                role.vote = m.getFrom();
            }
        } else {
            send(message(respType, m.getFrom()).setTerm(role.term).setReject(true));
            if (canVote) {
                campaignToHandOver(m.getFrom());
            }
        }
    }

    /**
     * We rejected {@code candidate} because its log is behind ours, yet it asked for our vote: it still counts us
     * as a voter. If we are not a voter any more (we applied our removal or demotion), we never campaign for
     * ourselves, and the candidate may never win without our vote (say it never learned that the change
     * committed): campaign once, counting only the voters of our config, to catch them up and hand leadership over
     * ({@link #handOffLeadership()}). As safe as any candidate of that config whose own vote does not count.
     *
     * <p>Always with a pre-vote first (raft thesis 9.6), whatever {@code config.preVote()} says: the candidate may
     * not need us at all (it can win with the others), and the members that applied our removal drop what we send
     * (the server's transport filter, as in etcd), so our election may be unwinnable. A real election would still
     * raise the terms of those that listen, the candidate's among them, and spoil its election; each of its retries
     * asks us again, so no one would ever win. A pre-vote changes no term unless a majority would elect us.
     */
    private void campaignToHandOver(long candidate) {
        if (promotable() || role.state == StateRole.LEADER || !tracker.voters().contains(candidate)
            || log.hasPendingSnapshot() || hasUnappliedConfChanges()) {
            return;
        }
        info("%d is no longer a voter but holds entries %d lacks: campaigning to hand leadership over", id,
            candidate);
        campaign(CampaignType.PRE_ELECTION);
    }

    // ---- ticks ----

    void tick() {
        if (role.state == StateRole.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    private void tickElection() {
        role.electionElapsed++;
        if (role.electionElapsed < role.randomizedElectionTimeout) {
            return;
        }
        if (promotable()) {
            role.electionElapsed = 0;
            step(message(MessageType.MsgHup, NONE).setFrom(id).build());
        } else if (role.state != StateRole.FOLLOWER) {
            // A hand-over election (campaignToHandOver) that did not win: never campaign again on our own.
            becomeFollower(role.term, NONE);
        }
    }

    private void tickHeartbeat() {
        role.heartbeatElapsed++;
        role.electionElapsed++;
        if (role.electionElapsed >= config.electionTicks()) {
            role.electionElapsed = 0;
            if (config.checkQuorum()) {
                step(message(MessageType.MsgCheckQuorum, NONE).setFrom(id).build());
            }
            if (role.state == StateRole.LEADER && role.leadTransferee != NONE) {
                role.leadTransferee = NONE;
            }
            if (role.state == StateRole.LEADER && !promotable()) {
                retryHandOff();
            }
        }
        if (role.state != StateRole.LEADER) {
            return;
        }
        if (role.heartbeatElapsed >= config.heartbeatTicks()) {
            role.heartbeatElapsed = 0;
            step(message(MessageType.MsgBeat, NONE).setFrom(id).build());
        }
    }

    // ---- log ----

    /** Leader appends {@code entries} in its term; false if the uncommitted size limit drops them. */
    boolean appendEntries(List<Entry> entries) {
        long last = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            stamped.add(entries.get(i).toBuilder().setTerm(role.term).setIndex(last + 1 + i).build());
        }
        if (!increaseUncommittedSize(stamped)) {
            return false;
        }
        last = log.append(stamped);
        Progress self = tracker.progress(id);
        if (self != null) {
            self.maybeUpdate(last);
        }
        maybeCommit();
        return true;
    }

    boolean maybeCommit() {
        return log.maybeCommit(tracker.committed(), role.term);
    }

    private boolean increaseUncommittedSize(List<Entry> entries) {
        long size = payloadSize(entries);
        if (role.uncommittedSizeBytes > 0 && size > 0
            && role.uncommittedSizeBytes + size > config.maxUncommittedEntriesSizeBytes()) {
            return false;
        }
        role.uncommittedSizeBytes += size;
        return true;
    }

    void reduceUncommittedSize(List<Entry> committedEntries) {
        if (role.state != StateRole.LEADER) {
            return;
        }
        role.uncommittedSizeBytes = Math.max(0, role.uncommittedSizeBytes - payloadSize(committedEntries));
    }

    static long payloadSize(List<Entry> entries) {
        long size = 0;
        for (Entry entry : entries) {
            size += entry.getData().size();
        }
        return size;
    }

    boolean committedEntryInCurrentTerm() {
        return log.term(log.committed()).termOrZero() == role.term;
    }

    /** Answers a ReadIndex request: locally (readStates) if it is ours, else with a MsgReadIndexResp. */
    void respondToReadIndex(Message request, long readIndex) {
        if (request.getFrom() == NONE || request.getFrom() == id) {
            readStates.add(new ReadState(readIndex, request.getEntries(0).getData()));
            return;
        }
        send(message(MessageType.MsgReadIndexResp, request.getFrom()).setIndex(readIndex)
            .addAllEntries(request.getEntriesList()));
    }
}
