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
 * from its WAL. The state machine is in memory too: after a restart it re-applies the log from index 1, conf
 * changes included (raft starts from the bootstrap membership and refuses to campaign until it has re-applied
 * them).
 *
 * <p>The application also filters what reaches raft, as etcd's does: {@link #hasSeenRemoved} names the senders whose
 * messages it drops (etcd's {@code EtcdServer.Process} refuses messages from an id its membership lists as removed,
 * and rafthttp stops talking to removed peers). Raft itself accepts messages from anyone.
 */
final class SimNode {
    final long id;
    private final Function<Random, RaftConfig> configFor;
    private final Random random;
    final MemoryRaftStorage storage;
    private RaftNode node;
    /** The membership as this member's application last applied it (the bootstrap one after a restart). */
    private ConfState confState;
    /** Every id that was a voter or learner in a membership this member applied, in any incarnation. */
    private final Set<Long> seenMembers = new HashSet<>();
    /** Index of the last entry the application applied (or the snapshot it restored). */
    private long applied;
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

    ConfState confState() {
        return confState;
    }

    /**
     * Whether this member saw {@code id} removed: {@code id} was in a membership it applied earlier and is in none
     * of the applied one's voters, outgoing voters, learners or learners-next. The simulation drops messages from
     * such an id before they reach raft, as etcd does ({@code RaftCluster.IsIDRemoved}): a removed member that never
     * learned of its removal keeps campaigning with rising terms, and without the filter its votes raise the terms
     * of the members it left behind (a learner at a higher term ignores the lower-term leader for good when neither
     * pre-vote nor check-quorum is on).
     */
    boolean hasSeenRemoved(long id) {
        return seenMembers.contains(id) && !isMember(confState, id);
    }

    private static boolean isMember(ConfState cs, long id) {
        return cs.getVotersList().contains(id) || cs.getVotersOutgoingList().contains(id)
            || cs.getLearnersList().contains(id) || cs.getLearnersNextList().contains(id);
    }

    private void applyMembership(ConfState cs) {
        confState = cs;
        seenMembers.addAll(cs.getVotersList());
        seenMembers.addAll(cs.getVotersOutgoingList());
        seenMembers.addAll(cs.getLearnersList());
        seenMembers.addAll(cs.getLearnersNextList());
    }

    int incarnation() {
        return incarnation;
    }

    /** Loses everything in memory: raft's unstable log, unsent messages, the applied state. */
    void crash() {
        node = null;
    }

    /** Starts again from the persisted storage, with a fresh election-timeout generator from the run's seed. */
    void restart() {
        node = new RaftNode(configFor.apply(new Random(random.nextLong())), storage);
        applyMembership(storage.initialState().confState());
        applied = storage.firstIndex() - 1;
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
                applyMembership(rd.snapshot().get().getMetadata().getConfState());
                applied = rd.snapshot().get().getMetadata().getIndex();
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
                    applyMembership(node.applyConfChange(cc));
                }
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
        storage.createSnapshot(applied, confState, new byte[0]);
        storage.compact(applied);
    }
}
