package io.cairn.raft.sim;

import com.google.protobuf.ByteString;
import io.cairn.raft.StateRole;
import io.cairn.raft.StepResult;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.confchange.ConfChangeException;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A whole raft cluster in one thread, driven by one {@code Random(seed)}: every choice (which event, which node,
 * which message, each fault, each election timeout) comes from it, so a seed replays a run exactly. A safety phase
 * injects faults while {@link SafetyChecker} checks after every step; a liveness phase then heals everything and
 * requires a new proposal to commit and apply on all members (of the leader's membership) within a bound.
 * Delivery plays the application's part too: a member drops messages from an id it saw removed
 * ({@link SimNode#hasSeenRemoved}), as etcd's server does and as raft's package doc requires of Cairn's.
 */
final class Simulation {
    /** Lines of recent events kept for failure messages. */
    static final int TRACE_LINES = 80;
    /** Liveness: rounds (one tick on every member, then a quiet network) between retries of the probe proposal. */
    static final int PROBE_RETRY_ROUNDS = 3 * Swarm.ELECTION_TICKS;
    /** Deliveries without a tick after which a quiet network counts as a message storm. */
    static final int MAX_DELIVERIES_PER_ROUND = 100_000;

    /**
     * Whether leaders may propose their own removal or demotion (on by default). Such a leader hands leadership
     * over before it steps down, and a removed member whose log others lack campaigns once to hand over (raft
     * package doc, "Membership changes"); {@code -Dcairn.raft.sim.removeLeader=false} turns it off.
     */
    static final boolean REMOVE_LEADER = Boolean.parseBoolean(System.getProperty("cairn.raft.sim.removeLeader",
        "true"));

    private enum Event {
        TICK(20), DELIVER(60), READY(10), PROPOSE(6), READ(3), TRANSFER(1), PARTITION(1), HEAL(2), CRASH(1),
        RESTART(3), CONF_CHANGE(1), COMPACT(2);

        final int weight;

        Event(int weight) {
            this.weight = weight;
        }
    }

    private static final int TOTAL_WEIGHT = totalWeight();

    final long seed;
    final Swarm swarm;
    private final Random random;
    private final SimNetwork network;
    private final List<SimNode> nodes = new ArrayList<>();
    private final SafetyChecker checker = new SafetyChecker();
    private final Deque<String> trace = new ArrayDeque<>();
    private final Set<Long> everRemoved = new HashSet<>();
    private long step;
    private int proposals;
    private int reads;

    Simulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.swarm = Swarm.from(seed, random);
        this.network = new SimNetwork(random);
        for (long id : swarm.voters()) {
            nodes.add(new SimNode(id, swarm.voters(), r -> swarm.config(id, r), random));
        }
    }

    /** Safety phase: {@code steps} random events with faults on, invariants checked after each. */
    void runSafety(int steps) {
        network.setFaults(swarm.dropProbability(), swarm.duplicateProbability(), swarm.maxDelaySteps());
        for (int i = 0; i < steps; i++) {
            step++;
            randomEvent();
            reportSnapshots();
            checker.afterStep(nodes);
        }
    }

    private void randomEvent() {
        int roll = random.nextInt(TOTAL_WEIGHT);
        Event event = Event.TICK;
        for (Event e : Event.values()) {
            if (roll < e.weight) {
                event = e;
                break;
            }
            roll -= e.weight;
        }
        if ((event == Event.PARTITION && !swarm.partitions()) || (event == Event.CRASH && !swarm.crashes())
            || (event == Event.CONF_CHANGE && !swarm.confChanges()) || (event == Event.COMPACT && !swarm.snapshots())) {
            return;
        }
        switch (event) {
            case TICK -> tickOne();
            case DELIVER -> deliverOne();
            case READY -> upNode().ifPresent(this::ready);
            case PROPOSE -> leaderOrUpNode().ifPresent(this::propose);
            case READ -> upNode().ifPresent(this::read);
            case TRANSFER -> upNode().ifPresent(this::transfer);
            case PARTITION -> partition();
            case HEAL -> {
                network.healAll();
                log("heal");
            }
            case CRASH -> leaderOrUpNode().ifPresent(this::crash);
            case RESTART -> downNode().ifPresent(this::restart);
            case CONF_CHANGE -> confChange();
            case COMPACT -> upNode().ifPresent(n -> {
                n.compact();
                log("compact %d up to %d", n.id, n.storage.firstIndex() - 1);
            });
        }
    }

    private void tickOne() {
        int total = 0;
        for (int w : swarm.tickWeights()) {
            total += w;
        }
        int roll = random.nextInt(total);
        int i = 0;
        while (roll >= swarm.tickWeights()[i]) {
            roll -= swarm.tickWeights()[i++];
        }
        SimNode n = nodes.get(i);
        if (n.isUp()) {
            n.node().tick();
            maybeReady(n);
        }
    }

    private void deliverOne() {
        Message m = network.pollDeliverable(step);
        if (m != null) {
            deliver(m);
            SimNode to = node(m.getTo());
            if (to.isUp()) {
                maybeReady(to);
            }
        }
    }

    private void deliver(Message m) {
        SimNode to = node(m.getTo());
        if (!to.isUp()) {
            network.lost(m);
            return;
        }
        if (to.hasSeenRemoved(m.getFrom())) {
            // The application's filter (etcd's IsIDRemoved), not raft: see SimNode#hasSeenRemoved.
            network.lost(m);
            log("drop %s %d->%d term=%d: %d saw %d removed", m.getType(), m.getFrom(), m.getTo(), m.getTerm(),
                m.getTo(), m.getFrom());
            return;
        }
        network.delivered(m);
        log("deliver %s %d->%d term=%d logTerm=%d index=%d commit=%d entries=%d reject=%s", m.getType(),
            m.getFrom(), m.getTo(), m.getTerm(), m.getLogTerm(), m.getIndex(), m.getCommit(), m.getEntriesCount(),
            m.getReject());
        to.node().step(m);
    }

    private void reportSnapshots() {
        for (SimNetwork.SnapshotReport report : network.drainSnapshotReports()) {
            SimNode from = node(report.from());
            if (from.isUp()) {
                from.node().reportSnapshot(report.to(), report.failed());
                log("snapshot %d->%d %s", report.from(), report.to(), report.failed() ? "lost" : "delivered");
            }
        }
    }

    private void maybeReady(SimNode n) {
        if (random.nextDouble() < swarm.readyProbability()) {
            ready(n);
        }
    }

    private void ready(SimNode n) {
        List<Message> outbox = new ArrayList<>();
        n.processReady(checker, outbox, false);
        for (Message m : outbox) {
            network.send(m, step);
        }
    }

    private void propose(SimNode n) {
        String data = "s" + seed + "-p" + (++proposals);
        StepResult result = n.node().propose(data.getBytes(StandardCharsets.UTF_8));
        log("propose %s at %d: %s", data, n.id, result);
        maybeReady(n);
    }

    private void read(SimNode n) {
        ByteString context = ByteString.copyFromUtf8("r" + (++reads));
        checker.onReadRequest(context, nodes);
        n.node().readIndex(context.toByteArray());
        log("read %s at %d", context.toStringUtf8(), n.id);
        maybeReady(n);
    }

    private void transfer(SimNode n) {
        long to = swarm.voters()[random.nextInt(swarm.voters().length)];
        n.node().transferLeadership(to);
        log("transfer leadership via %d to %d", n.id, to);
        maybeReady(n);
    }

    /**
     * A leader proposes a random change against the membership it applied (which is what the change will apply to:
     * a leader refuses a change while an earlier one may be unapplied): in a joint config whose leave is explicit,
     * the empty change that leaves it; otherwise a simple change (one operation) or, a third of the time, a joint one
     * (one to three operations, random transition). Changes that would remove every voter are not proposed, and a
     * removed id is never re-added.
     */
    private void confChange() {
        SimNode leader = leader();
        if (leader == null) {
            return;
        }
        ConfState current = leader.confState();
        ConfChangeV2 cc;
        if (Changer.isJoint(current)) {
            if (current.getAutoLeave() && random.nextInt(4) != 0) {
                return;
            }
            cc = ConfChangeV2.getDefaultInstance();
        } else {
            cc = randomChange(leader, random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 1);
            if (cc == null) {
                return;
            }
        }
        StepResult result = leader.node().proposeConfChange(cc);
        log("conf change [%s] at %d (config %s): %s", Changer.describe(cc), leader.id, Changer.describe(current),
            result);
        maybeReady(leader);
    }

    private ConfChangeV2 randomChange(SimNode leader, int operations) {
        ConfChangeType[] types = {ConfChangeType.ConfChangeAddNode, ConfChangeType.ConfChangeAddLearnerNode,
            ConfChangeType.ConfChangeRemoveNode};
        ConfChangeTransition[] transitions = ConfChangeTransition.values();
        ConfChangeV2.Builder cc = ConfChangeV2.newBuilder()
            .setTransition(operations == 1 && random.nextBoolean() ? ConfChangeTransition.ConfChangeTransitionAuto
                : transitions[random.nextInt(transitions.length)]);
        Set<Long> removed = new HashSet<>();
        for (int i = 0; i < operations; i++) {
            ConfChangeType type = types[random.nextInt(types.length)];
            long target = swarm.voters()[random.nextInt(swarm.voters().length)];
            if (everRemoved.contains(target) || (type != ConfChangeType.ConfChangeAddNode && target == leader.id
                && !REMOVE_LEADER)) {
                // Like etcd, never reuse a removed id: a snapshot taken while it was out would be refused by it.
                return null;
            }
            if (type == ConfChangeType.ConfChangeRemoveNode) {
                removed.add(target);
            }
            cc.addChanges(ConfChangeSingle.newBuilder().setType(type).setNodeId(target));
        }
        try {
            Changer.apply(leader.confState(), cc.build());
        } catch (ConfChangeException e) {
            return null;
        }
        everRemoved.addAll(removed);
        return cc.build();
    }

    private void partition() {
        List<Long> all = new ArrayList<>();
        for (long id : swarm.voters()) {
            all.add(id);
        }
        if (random.nextBoolean()) {
            long a = all.get(random.nextInt(all.size()));
            long b = all.get(random.nextInt(all.size()));
            network.cut(a, b);
        } else {
            Set<Long> side = new HashSet<>();
            for (long id : all) {
                if (random.nextBoolean()) {
                    side.add(id);
                }
            }
            network.partition(side, all);
        }
        log("cuts now %s", network.describeCuts());
    }

    private void crash(SimNode n) {
        boolean persistFirst = random.nextBoolean();
        if (persistFirst) {
            n.processReady(checker, new ArrayList<>(), true);
        }
        n.crash();
        log("crash %d (persisted pending ready first: %s)", n.id, persistFirst);
    }

    private void restart(SimNode n) {
        n.restart();
        checker.onRestart(n.id, n.storage.firstIndex() - 1);
        log("restart %d (incarnation %d, persisted %s, last index %d)", n.id, n.incarnation(),
            n.storage.initialState().hardState().toString().replace('\n', ' '), n.storage.lastIndex());
    }

    /**
     * Liveness phase: heal the network, stop faults, restart every member; then a leader must emerge and a new
     * proposal commit and apply on all members within {@code maxRounds} rounds of one tick per member.
     */
    void runLiveness(int maxRounds) {
        network.healAll();
        network.setFaults(0, 0, 0);
        for (SimNode n : nodes) {
            if (!n.isUp()) {
                restart(n);
            }
        }
        log("liveness phase");
        String probe = "s" + seed + "-probe";
        int lastProposal = -PROBE_RETRY_ROUNDS;
        for (int round = 0; round < maxRounds; round++) {
            step++;
            for (SimNode n : nodes) {
                n.node().tick();
                ready(n);
            }
            deliverAll();
            checker.afterStep(nodes);
            SimNode leader = leader();
            if (leader != null && checker.appliedEverywhere(probe, members(leader))) {
                return;
            }
            if (leader != null && round - lastProposal >= PROBE_RETRY_ROUNDS) {
                lastProposal = round;
                StepResult result = leader.node().propose(probe.getBytes(StandardCharsets.UTF_8));
                log("liveness: propose %s at %d: %s", probe, leader.id, result);
                ready(leader);
                deliverAll();
            }
        }
        throw new AssertionError(String.format("liveness: %s not applied on all members after %d rounds; leader %s;"
            + " members:%s", probe, maxRounds, leader() == null ? "none" : leader().id, describeMembers()));
    }

    private void deliverAll() {
        for (int i = 0; i < MAX_DELIVERIES_PER_ROUND; i++) {
            Message m = network.pollFifo();
            if (m == null) {
                return;
            }
            deliver(m);
            ready(node(m.getTo()));
            reportSnapshots();
            checker.afterStep(nodes);
        }
        throw new AssertionError("message storm: network not quiet after " + MAX_DELIVERIES_PER_ROUND + " messages");
    }

    /** The voters and learners in {@code leader}'s applied membership. */
    private List<SimNode> members(SimNode leader) {
        List<SimNode> members = new ArrayList<>();
        for (SimNode n : nodes) {
            ConfState cs = leader.confState();
            if (cs.getVotersList().contains(n.id) || cs.getVotersOutgoingList().contains(n.id)
                || cs.getLearnersList().contains(n.id)) {
                members.add(n);
            }
        }
        return members;
    }

    private String describeMembers() {
        StringBuilder out = new StringBuilder();
        for (SimNode n : nodes) {
            io.cairn.raft.Status st = n.node().status();
            out.append(String.format("%n    %d: %s term=%d vote=%d commit=%d applied=%d last=%d %s",
                n.id, st.softState().role(), st.hardState().getTerm(), st.hardState().getVote(),
                st.hardState().getCommit(), st.applied(), n.storage.lastIndex(), Changer.describe(n.confState())));
        }
        return out.toString();
    }

    private SimNode leader() {
        for (SimNode n : nodes) {
            if (n.isUp() && n.node().status().softState().role() == StateRole.LEADER) {
                return n;
            }
        }
        return null;
    }

    private Optional<SimNode> upNode() {
        List<SimNode> up = nodes.stream().filter(SimNode::isUp).toList();
        return up.isEmpty() ? Optional.empty() : Optional.of(up.get(random.nextInt(up.size())));
    }

    /** Half of the time a leader (if any is up): proposals that append, crashes that force elections. */
    private Optional<SimNode> leaderOrUpNode() {
        SimNode leader = leader();
        return leader != null && random.nextBoolean() ? Optional.of(leader) : upNode();
    }

    private Optional<SimNode> downNode() {
        List<SimNode> down = nodes.stream().filter(n -> !n.isUp()).toList();
        return down.isEmpty() ? Optional.empty()
            : Optional.of(down.get(random.nextInt(down.size())));
    }

    private SimNode node(long id) {
        return nodes.get((int) id - 1);
    }

    private void log(String format, Object... args) {
        trace.addLast("step " + step + ": " + String.format(format, args));
        if (trace.size() > TRACE_LINES) {
            trace.removeFirst();
        }
    }

    String summary() {
        return String.format("%s; steps=%d, leaders=%d, proposals=%d, committed=%d, reads=%d, "
            + "readStates=%d, confChanges[%s]", swarm, step, checker.leadersSeen(), proposals,
            checker.committedCount(), reads, checker.readStatesSeen(), checker.confChangesCommitted());
    }

    SafetyChecker checker() {
        return checker;
    }

    String recentTrace() {
        return String.join("\n  ", trace);
    }

    private static int totalWeight() {
        int total = 0;
        for (Event e : Event.values()) {
            total += e.weight;
        }
        return total;
    }
}
