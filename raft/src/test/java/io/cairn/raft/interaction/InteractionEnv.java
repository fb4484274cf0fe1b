package io.cairn.raft.interaction;

import io.cairn.raft.MemoryRaftStorage;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftLogger;
import io.cairn.raft.RaftNode;
import io.cairn.raft.ReadOnlyOption;
import io.cairn.raft.Ready;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The cluster an interaction script drives (etcd rafttest's {@code InteractionEnv}): members with their own
 * {@link MemoryRaftStorage}, messages queued per recipient until a {@code deliver-msgs}, and every member's raft log
 * lines captured into the output of the command that caused them. No time, no randomness: the election timeout is
 * exactly {@link #ELECTION_TICKS}, so {@code tick-election} always fires. Commands are in {@link Commands}.
 */
final class InteractionEnv {
    static final int ELECTION_TICKS = 10;
    static final int HEARTBEAT_TICKS = 1;
    /** A generator that always returns 0: the randomized election timeout is always {@link #ELECTION_TICKS}. */
    private static final RandomGenerator NO_JITTER = () -> 0L;

    /** One member: raft, its disk, and the membership its application applied. */
    static final class Member {
        final RaftNode node;
        final MemoryRaftStorage storage;
        final RaftConfig config;
        ConfState confState;

        Member(RaftNode node, MemoryRaftStorage storage, RaftConfig config, ConfState confState) {
            this.node = node;
            this.storage = storage;
            this.config = config;
            this.confState = confState;
        }
    }

    final Map<Long, Member> members = new TreeMap<>();
    /** Sent but not delivered yet, in sending order. */
    final List<Message> inFlight = new ArrayList<>();
    /** Members cut off from the others: messages between the two sides are dropped at delivery. */
    final Set<Long> partitioned = new HashSet<>();
    private final List<String> out = new ArrayList<>();
    private String indent = "";
    private RaftLogger.Level minLevel = RaftLogger.Level.INFO;

    /** The output so far of the current command, which is then cleared. */
    List<String> takeOutput() {
        List<String> lines = new ArrayList<>(out);
        out.clear();
        return lines;
    }

    void print(String line) {
        out.add(indent + line);
    }

    void setLogLevel(RaftLogger.Level level) {
        minLevel = level;
    }

    Member member(long id) {
        Member m = members.get(id);
        if (m == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return m;
    }

    /** Adds member {@code id} with membership {@code cs}; with {@code snapshotIndex > 0} its log starts there. */
    void addNode(long id, ConfState cs, long snapshotIndex, boolean preVote, boolean checkQuorum,
        ReadOnlyOption readOnly) {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        if (snapshotIndex > 0) {
            storage.applySnapshot(Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder()
                .setIndex(snapshotIndex).setTerm(1).setConfState(cs)).build());
        } else {
            storage.setConfState(cs);
        }
        RaftConfig config = RaftConfig.defaults(id, NO_JITTER).withTicks(ELECTION_TICKS, HEARTBEAT_TICKS)
            .withPreVote(preVote).withCheckQuorum(checkQuorum).withReadOnlyOption(readOnly)
            .withLogger(logger());
        members.put(id, new Member(new RaftNode(config, storage), storage, config, cs));
    }

    private RaftLogger logger() {
        return new RaftLogger() {
            @Override
            public boolean enabled(Level level) {
                return minLevel != null && level.compareTo(minLevel) >= 0;
            }

            @Override
            public void log(Level level, String line) {
                print(level + " " + line);
            }
        };
    }

    /**
     * One pass of the Ready loop of {@code id}, as the server does it: persist the snapshot, entries and hard state,
     * queue the messages, apply committed entries (conf changes through {@code applyConfChange}), advance.
     */
    void processReady(long id) {
        Member m = member(id);
        print("> " + id + " handling Ready");
        String outer = indent;
        indent = outer + "  ";
        if (!m.node.hasReady()) {
            print("<empty Ready>");
        }
        while (m.node.hasReady()) {
            Ready rd = m.node.ready();
            List<String> lines = new ArrayList<>();
            Describe.ready(rd, lines);
            lines.forEach(this::print);
            rd.snapshot().ifPresent(snap -> {
                m.storage.applySnapshot(snap);
                m.confState = snap.getMetadata().getConfState();
            });
            m.storage.append(rd.entries());
            rd.hardState().ifPresent(m.storage::setHardState);
            inFlight.addAll(rd.messages());
            for (Entry e : rd.committedEntries()) {
                ConfChangeV2 cc = Changer.decode(e);
                if (cc != null) {
                    m.confState = m.node.applyConfChange(cc);
                }
            }
            m.node.advance(rd);
        }
        indent = outer;
    }

    boolean hasMessagesFor(long id) {
        return inFlight.stream().anyMatch(msg -> msg.getTo() == id);
    }

    /** Steps every queued message for {@code id} into it, in order; {@code drop} discards them instead. */
    void deliver(long id, boolean drop) {
        List<Message> mine = new ArrayList<>();
        for (Iterator<Message> it = inFlight.iterator(); it.hasNext();) {
            Message msg = it.next();
            if (msg.getTo() == id) {
                mine.add(msg);
                it.remove();
            }
        }
        if (mine.isEmpty()) {
            return;
        }
        Member m = members.get(id);
        print("> " + id + " receiving messages");
        String outer = indent;
        indent = outer + "  ";
        for (Message msg : mine) {
            if (drop || m == null) {
                print("dropped: " + Describe.message(msg));
            } else if (partitioned.contains(msg.getFrom()) != partitioned.contains(msg.getTo())) {
                print("dropped (partition): " + Describe.message(msg));
            } else {
                print(Describe.message(msg));
                m.node.step(msg);
            }
        }
        indent = outer;
    }

    /** Ready loops and deliveries until nothing moves (etcd's {@code stabilize}). */
    void stabilize(List<Long> ids) {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (long id : ids) {
                if (member(id).node.hasReady()) {
                    processReady(id);
                    moved = true;
                }
            }
            for (long id : ids) {
                if (hasMessagesFor(id)) {
                    deliver(id, false);
                    moved = true;
                }
            }
        }
    }

    void tick(long id, int times) {
        for (int i = 0; i < times; i++) {
            member(id).node.tick();
        }
    }
}
