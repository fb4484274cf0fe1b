package io.cairn.bench.raft;

import io.cairn.raft.MemoryRaftStorage;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.Ready;
import io.cairn.raft.StateRole;
import io.cairn.raft.StepResult;
import io.cairn.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * An in-memory 3-node cluster driven through the Ready loop on one thread, messages delivered at once, storage in
 * memory: the ceiling the server can reach. One invocation proposes {@code batch} entries of 256 bytes on the
 * leader and runs delivery rounds until the leader has them committed and applied. Score: invocations/s; aux
 * counters: proposals/s and delivery rounds/s (rounds per invocation = commit latency in message hops; no tick is
 * needed to commit, since appends go out on propose).
 */
@State(Scope.Benchmark)
public class RaftBenchmark {
    private static final int NODES = 3;

    @Param({"1", "100"})
    public int batch;

    private final RaftNode[] nodes = new RaftNode[NODES];
    private final MemoryRaftStorage[] storages = new MemoryRaftStorage[NODES];
    private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    private final byte[] payload = new byte[256];
    private long leaderApplied;

    /** Rates reported next to the score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long proposals;
        public long rounds;

        @Setup(Level.Iteration)
        public void reset() {
            proposals = 0;
            rounds = 0;
        }
    }

    @Setup(Level.Trial)
    public void electLeader() {
        for (int i = 0; i < NODES; i++) {
            storages[i] = MemoryRaftStorage.withVoters(1, 2, 3);
            nodes[i] = new RaftNode(RaftConfig.defaults(i + 1, new SplittableRandom(i + 1)), storages[i]);
        }
        nodes[0].campaign();
        pump(() -> nodes[0].status().softState().role() == StateRole.LEADER && leaderApplied > 0);
    }

    @Benchmark
    public long proposeAndCommit(Counters counters) {
        long target = leaderApplied + batch;
        for (int i = 0; i < batch; i++) {
            if (nodes[0].propose(payload) != StepResult.OK) {
                throw new IllegalStateException("proposal not accepted by the leader");
            }
        }
        counters.rounds += pump(() -> leaderApplied >= target);
        counters.proposals += batch;
        return leaderApplied;
    }

    /** Runs Ready loops and deliveries until {@code done}; returns the delivery rounds taken. */
    private int pump(BooleanSupplier done) {
        int rounds = 0;
        while (!done.getAsBoolean()) {
            for (int i = 0; i < NODES; i++) {
                collect(i);
            }
            if (inFlight.isEmpty()) {
                throw new IllegalStateException("cluster stalled after " + rounds + " rounds");
            }
            while (!inFlight.isEmpty()) {
                Message m = inFlight.poll();
                nodes[(int) m.getTo() - 1].step(m);
            }
            rounds++;
        }
        return rounds;
    }

    private void collect(int i) {
        RaftNode node = nodes[i];
        while (node.hasReady()) {
            Ready rd = node.ready();
            rd.snapshot().ifPresent(storages[i]::applySnapshot);
            storages[i].append(rd.entries());
            rd.hardState().ifPresent(storages[i]::setHardState);
            inFlight.addAll(rd.messages());
            if (i == 0 && !rd.committedEntries().isEmpty()) {
                leaderApplied = rd.committedEntries().get(rd.committedEntries().size() - 1).getIndex();
            }
            node.advance(rd);
        }
    }
}
