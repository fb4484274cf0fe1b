package io.cairn.raft;

import com.google.protobuf.ByteString;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.confchange.ConfChangeException;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.tracker.Progress;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One raft member as a deterministic state machine (etcd {@code RawNode}). Not thread-safe: a single loop owns it
 * and follows the Ready loop described in the package doc. Time advances only through {@link #tick()}.
 */
public final class RaftNode {
    private static final Set<MessageType> LOCAL_MESSAGES = EnumSet.of(MessageType.MsgHup, MessageType.MsgBeat,
        MessageType.MsgUnreachable, MessageType.MsgSnapStatus, MessageType.MsgCheckQuorum,
        MessageType.MsgStorageAppend, MessageType.MsgStorageAppendResp, MessageType.MsgStorageApply,
        MessageType.MsgStorageApplyResp);
    private static final Set<MessageType> RESPONSES = EnumSet.of(MessageType.MsgAppResp,
        MessageType.MsgVoteResp, MessageType.MsgHeartbeatResp, MessageType.MsgUnreachable,
        MessageType.MsgReadIndexResp, MessageType.MsgPreVoteResp);

    private final Raft raft;
    private SoftState previousSoftState;
    private HardState previousHardState;

    /**
     * Starts (or restarts) a node from {@code storage}: membership from the storage's snapshot/initial state, term,
     * vote and commit from its hard state. {@code storage} must be the one the server appends to.
     */
    public RaftNode(RaftConfig config, RaftStorage storage) {
        this.raft = new Raft(config, storage);
        this.previousSoftState = raft.softState();
        this.previousHardState = raft.hardState();
    }

    public long id() {
        return raft.id;
    }

    /** Advances logical time by one tick (election timeout, heartbeats, CheckQuorum). */
    public void tick() {
        raft.tick();
    }

    /** Starts an election now (pre-vote first if configured). */
    public void campaign() {
        raft.step(Raft.message(MessageType.MsgHup, Raft.NONE).setFrom(raft.id).build());
    }

    /** Proposes {@code data} for the log; see {@link StepResult} for why it may be dropped. */
    public StepResult propose(byte[] data) {
        return proposeEntry(EntryType.EntryNormal, ByteString.copyFrom(data));
    }

    /**
     * Proposes a simple membership change (one operation, see {@link Changer}). The leader refuses it
     * ({@link StepResult#DROPPED_CONF_CHANGE}) while an earlier change may be unapplied or while the configuration
     * is joint. Once its entry is committed, the application calls {@link #applyConfChange(ConfChange)} while
     * applying it.
     */
    public StepResult proposeConfChange(ConfChange cc) {
        return proposeEntry(EntryType.EntryConfChange, cc.toByteString());
    }

    /**
     * Proposes a membership change that may use joint consensus (etcd {@code ProposeConfChange} with a
     * {@code ConfChangeV2}): several operations or a {@code JointImplicit}/{@code JointExplicit} transition enter a
     * joint configuration. With {@code Auto} or {@code JointImplicit} the leader leaves it by itself once it applied
     * the entry; with {@code JointExplicit} the application proposes the empty {@code ConfChangeV2} to leave it.
     * The leader refuses a change while another may be unapplied, a non-empty change while joint and the empty one
     * while not joint ({@link StepResult#DROPPED_CONF_CHANGE}).
     */
    public StepResult proposeConfChange(ConfChangeV2 cc) {
        return proposeEntry(EntryType.EntryConfChangeV2, cc.toByteString());
    }

    private StepResult proposeEntry(EntryType type, ByteString data) {
        Entry.Builder entry = Entry.newBuilder().setData(data);
        if (type != EntryType.EntryNormal) {
            entry.setType(type);
        }
        return raft.step(Raft.message(MessageType.MsgProp, Raft.NONE).setFrom(raft.id).addEntries(entry).build());
    }

    /**
     * Applies a committed membership change to this node's view of the membership and returns the new one, which
     * the application records with its applied state (and in snapshots). A removed or demoted leader hands
     * leadership over and steps down (see the package doc).
     *
     * @throws ConfChangeException if the change cannot be applied (would remove all voters, a simple change in a
     *     joint config, ...): a committed change that fails here is a bug; the node must stop
     */
    public ConfState applyConfChange(ConfChange cc) {
        return raft.applyConfChange(Changer.toV2(cc));
    }

    /** Like {@link #applyConfChange(ConfChange)}. */
    public ConfState applyConfChange(ConfChangeV2 cc) {
        return raft.applyConfChange(cc);
    }

    /**
     * Feeds a message received from a peer. Local-only message types are refused, and so are responses from
     * nodes that are not members.
     */
    public StepResult step(Message message) {
        if (LOCAL_MESSAGES.contains(message.getType())) {
            return StepResult.IGNORED_LOCAL_MESSAGE;
        }
        if (RESPONSES.contains(message.getType()) && raft.tracker.progress(message.getFrom()) == null) {
            return StepResult.IGNORED_UNKNOWN_PEER;
        }
        return raft.step(message);
    }

    /**
     * Requests a linearizable read point; the answer arrives as a {@link ReadState} with the same
     * {@code context} in a later {@link Ready}. {@code context} must be unique per request.
     */
    public void readIndex(byte[] context) {
        Entry entry = Entry.newBuilder().setData(ByteString.copyFrom(context)).build();
        raft.step(Raft.message(MessageType.MsgReadIndex, Raft.NONE).addEntries(entry).build());
    }

    /** Asks the leader to hand leadership to {@code transferee} (forwarded if this node is a follower). */
    public void transferLeadership(long transferee) {
        raft.step(Raft.message(MessageType.MsgTransferLeader, Raft.NONE).setFrom(transferee).build());
    }

    /** Reports that sending the snapshot to {@code to} finished ({@code failed} = it did not arrive). */
    public void reportSnapshot(long to, boolean failed) {
        raft.step(Raft.message(MessageType.MsgSnapStatus, Raft.NONE).setFrom(to).setReject(failed).build());
    }

    /** Reports that {@code to} could not be reached: the leader goes back to probing it. */
    public void reportUnreachable(long to) {
        raft.step(Raft.message(MessageType.MsgUnreachable, Raft.NONE).setFrom(to).build());
    }

    public boolean hasReady() {
        if (!raft.softState().equals(previousSoftState)) {
            return true;
        }
        HardState hard = raft.hardState();
        if (!hard.equals(HardState.getDefaultInstance()) && !hard.equals(previousHardState)) {
            return true;
        }
        RaftLog log = raft.log;
        return log.hasPendingSnapshot() || !raft.msgs.isEmpty() || !log.unstableEntries().isEmpty()
            || log.hasNextCommittedEntries() || !raft.readStates.isEmpty();
    }

    /**
     * Collects what the server must persist, send and apply. Messages and read states are handed out once; call
     * {@link #advance(Ready)} with the result before the next {@code ready()}.
     */
    public Ready ready() {
        SoftState soft = raft.softState();
        HardState hard = raft.hardState();
        List<Entry> entries = raft.log.unstableEntries();
        Optional<Snapshot> snapshot = raft.log.hasPendingSnapshot() ? Optional.of(raft.log.unstable().snapshot())
            : Optional.empty();
        boolean hardChanged = !hard.equals(previousHardState);
        boolean mustSync = !entries.isEmpty() || hard.getTerm() != previousHardState.getTerm()
            || hard.getVote() != previousHardState.getVote();
        Ready rd = new Ready(soft.equals(previousSoftState) ? Optional.empty() : Optional.of(soft),
            hardChanged ? Optional.of(hard) : Optional.empty(), entries, snapshot,
            raft.log.nextCommittedEntries(), raft.msgs, raft.readStates, mustSync);
        raft.msgs.clear();
        raft.readStates.clear();
        return rd;
    }

    /** The server persisted, sent and applied {@code rd}; raft moves its stable and applied marks past it. */
    public void advance(Ready rd) {
        rd.softState().ifPresent(soft -> previousSoftState = soft);
        rd.hardState().ifPresent(hard -> previousHardState = hard);
        raft.reduceUncommittedSize(rd.committedEntries());
        rd.snapshot().ifPresent(snap -> {
            // The application restored the snapshot: it is applied (etcd appliedSnap). Without this, applied stays
            // below the new first index and scanning the unapplied entries (hup) hits the compacted range.
            raft.log.stableSnapTo(snap.getMetadata().getIndex());
            raft.log.appliedTo(snap.getMetadata().getIndex());
        });
        if (!rd.committedEntries().isEmpty()) {
            raft.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).getIndex());
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            raft.log.stableTo(last.getIndex(), last.getTerm());
        }
        raft.maybeAutoLeave();
    }

    public Status status() {
        Map<Long, Status.PeerProgress> progress = new TreeMap<>();
        if (raft.role.state == StateRole.LEADER) {
            for (Map.Entry<Long, Progress> entry : raft.tracker.progressById().entrySet()) {
                Progress pr = entry.getValue();
                progress.put(entry.getKey(), new Status.PeerProgress(pr.match(), pr.next(), pr.state(),
                    pr.isPaused(), pr.inflights().count(), pr.isLearner(), pr.recentActive()));
            }
        }
        return new Status(raft.id, raft.hardState(), raft.softState(), raft.log.applied(), raft.role.leadTransferee,
            progress);
    }

    /** Package-private access for tests in this package. */
    Raft raft() {
        return raft;
    }
}
