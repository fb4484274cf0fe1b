package io.cairn.raft.sim;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The simulated wire between raft members, driven by the run's one {@link Random}: every sent message may be lost,
 * duplicated, or held for a random number of steps (which also reorders it). Links can be cut in one direction
 * (asymmetric partition) or both; a cut link drops what it would deliver. Bounded by {@link #MAX_IN_FLIGHT}.
 * Snapshots are reported back to their sender as delivered or lost, as etcd's snapshot stream does.
 */
final class SimNetwork {
    /** Messages held at once; the excess is lost, like an overflowing socket buffer. */
    static final int MAX_IN_FLIGHT = 2_000;

    /** A message and the first step at which it may be delivered. */
    record InFlight(Message message, long deliverAtStep) {
    }

    /** What a snapshot transport tells the sender (etcd rafthttp calls ReportSnapshot): who, to whom, failed. */
    record SnapshotReport(long from, long to, boolean failed) {
    }

    private final Random random;
    private final List<SnapshotReport> snapshotReports = new ArrayList<>();
    private final List<InFlight> inFlight = new ArrayList<>();
    private final Set<Long> cutLinks = new HashSet<>();
    private double dropProbability;
    private double duplicateProbability;
    private int maxDelaySteps;

    SimNetwork(Random random) {
        this.random = random;
    }

    void setFaults(double newDropProbability, double newDuplicateProbability, int newMaxDelaySteps) {
        this.dropProbability = newDropProbability;
        this.duplicateProbability = newDuplicateProbability;
        this.maxDelaySteps = newMaxDelaySteps;
    }

    /** Puts {@code m} on the wire at {@code step}; it may be lost or duplicated on the way. */
    void send(Message m, long step) {
        if (random.nextDouble() < dropProbability) {
            lost(m);
            return;
        }
        enqueue(m, step);
        if (random.nextDouble() < duplicateProbability) {
            enqueue(m, step);
        }
    }

    private void enqueue(Message m, long step) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            lost(m);
            return;
        }
        int delay = maxDelaySteps == 0 ? 0 : random.nextInt(maxDelaySteps + 1);
        inFlight.add(new InFlight(m, step + delay));
    }

    /**
     * Removes and returns a random message deliverable at {@code step} whose link is not cut, or null if none.
     * Messages on cut links are dropped when picked.
     */
    Message pollDeliverable(long step) {
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < inFlight.size(); i++) {
            if (inFlight.get(i).deliverAtStep() <= step) {
                ready.add(i);
            }
        }
        if (ready.isEmpty()) {
            return null;
        }
        Message m = inFlight.remove((int) ready.get(random.nextInt(ready.size()))).message();
        if (isCut(m.getFrom(), m.getTo())) {
            lost(m);
            return null;
        }
        return m;
    }

    /** Removes and returns the oldest message whose link is not cut, ignoring delays; null when empty. */
    Message pollFifo() {
        while (!inFlight.isEmpty()) {
            Message m = inFlight.remove(0).message();
            if (!isCut(m.getFrom(), m.getTo())) {
                return m;
            }
            lost(m);
        }
        return null;
    }

    /** A message did not arrive; a snapshot's sender hears about it, as from a real snapshot stream. */
    void lost(Message m) {
        if (m.getType() == MessageType.MsgSnap) {
            snapshotReports.add(new SnapshotReport(m.getFrom(), m.getTo(), true));
        }
    }

    /** A message arrived. */
    void delivered(Message m) {
        if (m.getType() == MessageType.MsgSnap) {
            snapshotReports.add(new SnapshotReport(m.getFrom(), m.getTo(), false));
        }
    }

    /** Removes and returns the snapshot outcomes since the last call. */
    List<SnapshotReport> drainSnapshotReports() {
        List<SnapshotReport> reports = List.copyOf(snapshotReports);
        snapshotReports.clear();
        return reports;
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    void cut(long from, long to) {
        cutLinks.add(link(from, to));
    }

    /** Splits the members into {@code side} and the rest; nothing crosses between them in either direction. */
    void partition(Set<Long> side, List<Long> all) {
        for (long a : side) {
            for (long b : all) {
                if (!side.contains(b)) {
                    cut(a, b);
                    cut(b, a);
                }
            }
        }
    }

    void healAll() {
        cutLinks.clear();
    }

    boolean isCut(long from, long to) {
        return cutLinks.contains(link(from, to));
    }

    String describeCuts() {
        List<String> cuts = new ArrayList<>();
        for (long l : cutLinks) {
            cuts.add((l >>> 32) + "->" + (l & 0xffffffffL));
        }
        cuts.sort(null);
        return cuts.toString();
    }

    private static long link(long from, long to) {
        return (from << 32) | to;
    }
}
