package io.cairn.raft.sim;

import io.cairn.raft.MemoryRaftStorage;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.Ready;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.Message;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * One simulated member: a {@link RaftNode} over a {@link MemoryRaftStorage} that stands for its disk. Running the
 * Ready loop ({@link #processReady}) is a separate event, so a crash loses whatever raft had not handed out and the
 * server had not persisted yet; {@link #restart} rebuilds the node from the storage alone, as a real restart does
 * from its WAL. Raft restarts from the storage's snapshot (or bootstrap) membership and applied index, re-applies
 * the committed log from there, conf changes included, and refuses to campaign until it has re-applied them.
 *
 * <p>The application also filters what reaches raft, as etcd's does: {@link #hasSeenRemoved} names the senders whose
 * messages it drops (etcd's {@code EtcdServer.Process} refuses messages from an id its membership lists as removed,
 * and rafthttp stops talking to removed peers). Raft itself accepts messages from anyone.
 *
 * <p>That membership is durable, like etcd's backend: it survives a crash as of the last index the application
 * applied (etcd's consistent index), together with every id it ever listed. After a restart the filter works from
 * the first message on, and re-applying entries at or below that index leaves it alone (etcd skips the entries its
 * backend already holds), so an older membership never comes back. Without this, a restarted member would count an
 * id it had seen removed as a member again until it re-applied its log, and a removed member's vote requests would
 * raise its term (seed 700232). Only a newer snapshot replaces it, as etcd replaces its backend with the snapshot's.
 * The simulation never re-adds a removed id (etcd gives a re-added member a new id); should it, the filter follows
 * the current durable membership, so the id would be accepted again.
 */
final class SimNode {
    final long id;
    private final Function<Random, RaftConfig> configFor;
    private final Random random;
    final MemoryRaftStorage storage;
    private RaftNode node;
    /** Index of the last entry this incarnation applied (or the snapshot it restored or restarted from). */
    private long applied;
    /** Raft's configuration as of {@link #applied}: what a snapshot taken at {@code applied} records. */
    private ConfState appliedConfState;
    /** Durable: the index of the last entry (or snapshot) the application applied in any incarnation. */
    private long durableApplied = -1;
    /** Durable: the membership as of {@link #durableApplied}, what the application filters messages by. */
    private ConfState membership;
    /** Durable: every id that was a voter or learner in a membership this member applied, in any incarnation. */
    private final Set<Long> seenMembers = new HashSet<>();
    private int incarnation;

    SimNode(long id, long[] voters, Function<Random, RaftConfig> configFor, Random random) {
        this.id = id;
        this.configFor = configFor;
        this.random = random;
        this.storage = MemoryRaftStorage.withVoters(voters);
        restart();
    }

    boolean isUp() {
        return node != null;
    }

    /** The live node; only valid while {@link #isUp()}. */
    RaftNode node() {
        return node;
    }

    /** The application's durable membership (see the class doc); equal to raft's configuration on a leader. */
    ConfState confState() {
        return membership;
    }

    /**
     * Whether this member saw {@code id} removed: {@code id} was in a membership it applied earlier (in any
     * incarnation) and is in none of the voters, outgoing voters, learners or learners-next of its durable
     * membership, the last one it applied (never an older one re-applied after a restart, see the class doc).
     * The simulation drops messages from such an id before they reach raft, as etcd does
     * ({@code RaftCluster.IsIDRemoved}): a removed member that never learned of its removal keeps campaigning with
     * rising terms, and without the filter its votes raise the terms of the members it left behind (a learner at a
     * higher term ignores the lower-term leader for good when neither pre-vote nor check-quorum is on).
     */
    boolean hasSeenRemoved(long id) {
        return seenMembers.contains(id) && !isMember(membership, id);
    }

    private static boolean isMember(ConfState cs, long id) {
        return cs.getVotersList().contains(id) || cs.getVotersOutgoingList().contains(id)
            || cs.getLearnersList().contains(id) || cs.getLearnersNextList().contains(id);
    }

    /**
     * The application applied the entry or snapshot at {@code index}, whose membership is {@code cs}: recorded as
     * the durable membership unless the application already holds that index (an entry re-applied after a restart),
     * in which case the newer durable membership stays.
     */
    private void applyMembership(ConfState cs, long index) {
        if (index <= durableApplied) {
            return;
        }
        durableApplied = index;
        membership = cs;
        seenMembers.addAll(cs.getVotersList());
        seenMembers.addAll(cs.getVotersOutgoingList());
        seenMembers.addAll(cs.getLearnersList());
        seenMembers.addAll(cs.getLearnersNextList());
    }

    int incarnation() {
        return incarnation;
    }

    /**
     * Loses everything in memory: raft's unstable log, unsent messages, the applied state except the durable
     * membership (see the class doc).
     */
    void crash() {
        node = null;
    }

    /**
     * Starts again from the persisted storage, with a fresh election-timeout generator from the run's seed. Raft and
     * {@link #applied} restart from the storage's snapshot; the durable membership stays as it was (a snapshot in
     * storage is never newer than it: the application applied each one as it persisted it).
     */
    void restart() {
        node = new RaftNode(configFor.apply(new Random(random.nextLong())), storage);
        appliedConfState = storage.initialState().confState();
        applied = storage.firstIndex() - 1;
        applyMembership(appliedConfState, applied);
        incarnation++;
    }

    /**
     * Persists the pending Ready (snapshot, entries, then hard state, as one atomic write), and, unless
     * {@code crashAfterPersist}, hands its messages to {@code outbox}, applies its committed entries through
     * {@code checker} and advances. Loops until raft has nothing more to hand out.
     */
    void processReady(SafetyChecker checker, List<Message> outbox, boolean crashAfterPersist) {
        while (node.hasReady()) {
            Ready rd = node.ready();
            if (rd.snapshot().isPresent()) {
                storage.applySnapshot(rd.snapshot().get());
                checker.onSnapshot(id, rd.snapshot().get());
                appliedConfState = rd.snapshot().get().getMetadata().getConfState();
                applied = rd.snapshot().get().getMetadata().getIndex();
                applyMembership(appliedConfState, applied);
            }
            storage.append(rd.entries());
            checker.onPersistedEntries(id, rd.entries(), storage);
            if (rd.hardState().isPresent()) {
                checker.onPersistedHardState(id, rd.hardState().get(), storage);
                storage.setHardState(rd.hardState().get());
            }
            if (crashAfterPersist) {
                crash();
                return;
            }
            checker.onLeaderPersisted(this);
            outbox.addAll(rd.messages());
            for (Entry entry : rd.committedEntries()) {
                checker.onApply(id, entry);
                applied = entry.getIndex();
                ConfChangeV2 cc = Changer.decode(entry);
                if (cc != null) {
                    appliedConfState = node.applyConfChange(cc);
                }
                applyMembership(appliedConfState, applied);
            }
            rd.readStates().forEach(rs -> checker.onReadState(id, rs));
            node.advance(rd);
        }
    }

    /** The application snapshots its applied state and compacts the log up to it (etcd's snapshot+compact). */
    void compact() {
        if (applied <= storage.snapshot().getMetadata().getIndex()) {
            return;
        }
        storage.createSnapshot(applied, appliedConfState, new byte[0]);
        storage.compact(applied);
    }
}
