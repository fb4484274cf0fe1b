package io.cairn.raft;

import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A tiny in-process cluster for tests (etcd raft_test.go's {@code network}): each node runs the Ready loop against
 * its own {@link MemoryRaftStorage}; messages are delivered in FIFO order, one thread, no time. Committed
 * conf changes are applied with {@link RaftNode#applyConfChange}. Hooks drop
 * messages by link (partitions), by type, or by a predicate. Ids listed as black holes swallow their messages.
 */
final class Network {
    final Map<Long, RaftNode> nodes = new TreeMap<>();
    final Map<Long, MemoryRaftStorage> storages = new TreeMap<>();
    final Map<Long, List<Entry>> applied = new TreeMap<>();
    final Map<Long, List<ReadState>> readStates = new TreeMap<>();
    /** The membership each node returned from its last {@code applyConfChange}. */
    final Map<Long, ConfState> confStates = new TreeMap<>();
    private final Set<Long> blackHoles = new HashSet<>();
    private final Set<String> cutLinks = new HashSet<>();
    private final Set<MessageType> ignored = new HashSet<>();
    private Predicate<Message> dropIf = m -> false;
    private final Deque<Message> inFlight = new ArrayDeque<>();

    /** A cluster of {@code voters} with default config (pre-vote/check-quorum as given) and seed. */
    static Network of(long seed, boolean preVote, boolean checkQuorum, long... voters) {
        Network net = new Network();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (long id : voters) {
            RaftConfig config = RaftConfig.defaults(id, seeds.split()).withPreVote(preVote)
                .withCheckQuorum(checkQuorum);
            net.add(config, MemoryRaftStorage.withVoters(voters));
        }
        return net;
    }

    void add(RaftConfig config, MemoryRaftStorage storage) {
        nodes.put(config.id(), new RaftNode(config, storage));
        storages.put(config.id(), storage);
        applied.put(config.id(), new ArrayList<>());
        readStates.put(config.id(), new ArrayList<>());
    }

    void blackHole(long id) {
        blackHoles.add(id);
    }

    RaftNode node(long id) {
        return nodes.get(id);
    }

    Raft raft(long id) {
        return nodes.get(id).raft();
    }

    /** Drops everything between {@code a} and {@code b}, both ways. */
    void cut(long a, long b) {
        cutLinks.add(a + "-" + b);
        cutLinks.add(b + "-" + a);
    }

    /** Separates {@code id} from every other node. */
    void isolate(long id) {
        for (long other : nodes.keySet()) {
            if (other != id) {
                cut(id, other);
            }
        }
    }

    void heal() {
        cutLinks.clear();
        ignored.clear();
        dropIf = m -> false;
    }

    void ignore(MessageType type) {
        ignored.add(type);
    }

    void dropIf(Predicate<Message> predicate) {
        dropIf = predicate;
    }

    /** Runs the Ready loop on every node and delivers all resulting messages until the cluster is quiet. */
    void stabilize() {
        collectAll();
        while (!inFlight.isEmpty()) {
            Message m = inFlight.poll();
            RaftNode to = nodes.get(m.getTo());
            if (to == null) {
                continue;
            }
            to.step(m);
            collect(m.getTo());
        }
    }

    /** Delivers {@code m} (as if received from the wire) and stabilizes. */
    void send(Message m) {
        if (!dropped(m)) {
            inFlight.add(m);
        }
        stabilize();
    }

    void tick(long id, int times) {
        for (int i = 0; i < times; i++) {
            nodes.get(id).tick();
        }
    }

    void campaign(long id) {
        nodes.get(id).campaign();
        stabilize();
    }

    StepResult propose(long id, String data) {
        StepResult result = nodes.get(id).propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stabilize();
        return result;
    }

    void collectAll() {
        for (long id : nodes.keySet()) {
            collect(id);
        }
    }

    /** One pass of the Ready loop of {@code id}: persist, queue messages, apply, advance. */
    void collect(long id) {
        RaftNode node = nodes.get(id);
        MemoryRaftStorage storage = storages.get(id);
        while (node.hasReady()) {
            Ready rd = node.ready();
            rd.snapshot().ifPresent(storage::applySnapshot);
            storage.append(rd.entries());
            rd.hardState().ifPresent(storage::setHardState);
            for (Message m : rd.messages()) {
                if (!dropped(m)) {
                    inFlight.add(m);
                }
            }
            for (Entry e : rd.committedEntries()) {
                ConfChangeV2 cc = Changer.decode(e);
                if (cc != null) {
                    confStates.put(id, node.applyConfChange(cc));
                }
            }
            applied.get(id).addAll(rd.committedEntries());
            readStates.get(id).addAll(rd.readStates());
            node.advance(rd);
        }
    }

    private boolean dropped(Message m) {
        return blackHoles.contains(m.getTo()) || cutLinks.contains(m.getFrom() + "-" + m.getTo())
            || ignored.contains(m.getType()) || dropIf.test(m);
    }

    /** The id of the node that believes it is leader of the highest term, or 0. */
    long leader() {
        long leader = 0;
        long term = -1;
        for (Map.Entry<Long, RaftNode> entry : nodes.entrySet()) {
            Raft r = entry.getValue().raft();
            if (r.role.state == StateRole.LEADER && r.role.term > term) {
                leader = entry.getKey();
                term = r.role.term;
            }
        }
        return leader;
    }

    /** Entries of {@code id}'s persisted log as "term/index" strings, for comparisons. */
    List<String> logOf(long id) {
        MemoryRaftStorage storage = storages.get(id);
        List<String> out = new ArrayList<>();
        for (Entry e : storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE)) {
            out.add(e.getTerm() + "/" + e.getIndex() + (e.getData().isEmpty() ? "" : ":" + e.getData().toStringUtf8()));
        }
        return out;
    }

    List<ReadState> readStatesSeen(long id) {
        stabilize();
        return readStates.get(id);
    }

    static Message msg(MessageType type, long from, long to) {
        return Message.newBuilder().setType(type).setFrom(from).setTo(to).build();
    }
}
