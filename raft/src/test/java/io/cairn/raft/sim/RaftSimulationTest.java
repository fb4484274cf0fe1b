package io.cairn.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded deterministic simulation of 3- and 5-member clusters (TigerBeetle VOPR / FoundationDB style, house style
 * guideline 17 at the raft level): random ticks per member, message loss, duplication, delay and reordering,
 * symmetric and asymmetric partitions and heals, crashes that lose unpersisted state and restarts from the
 * persisted {@code MemoryRaftStorage}, random proposals, ReadIndex requests, leadership transfers and membership
 * changes: simple ones, joint ones (several operations, automatic, implicit or explicit transition, explicit
 * leaves), including a leader removing or demoting itself; members drop messages from ids they saw removed, as
 * etcd's transport does, by a membership that survives restarts as etcd's backend does
 * ({@link SimNode#hasSeenRemoved}). See {@link SafetyChecker} for the invariants checked after every step, and
 * {@link Simulation#runLiveness} for the liveness phase that follows. Every failure message ends with
 * {@code reproduce: -Dcairn.raft.seed=N}.
 *
 * <pre>{@code
 * ./mvnw -q -o -pl raft test -Dtest=RaftSimulationTest                          # the default 200 seeds
 * ./mvnw -q -o -pl raft test -Dtest=RaftSimulationTest -Dcairn.raft.seed=1234   # replay one seed
 * ./mvnw -q -o -pl raft test -Dtest=RaftSimulationTest -Dcairn.raft.seeds=5000  # a long swarm: seeds 0..4999
 * ./mvnw -q -o -pl raft test -Dtest=RaftSimulationTest -Dcairn.raft.seeds=5000 -Dcairn.raft.firstSeed=100000
 * ./mvnw -q -o -pl raft test -Dtest=RaftSimulationTest -Dcairn.raft.sim.removeLeader=false # leaders keep their seat
 * }</pre>
 * About 1 500 seeds run per minute on one core; the default 200 take under ten seconds.
 */
class RaftSimulationTest {
    static final int DEFAULT_SEEDS = 200;
    static final int SAFETY_STEPS = 20_000;
    /** Rounds of one tick per member for the liveness phase: many election timeouts. */
    static final int LIVENESS_ROUNDS_MAX = 40 * Swarm.ELECTION_TICKS;

    static LongStream seeds() {
        String single = System.getProperty("cairn.raft.seed");
        if (single != null && !single.isBlank()) {
            return LongStream.of(Long.parseLong(single.trim()));
        }
        long first = Long.getLong("cairn.raft.firstSeed", 0L);
        return LongStream.range(first, first + Long.getLong("cairn.raft.seeds", (long) DEFAULT_SEEDS));
    }

    /** The whole point of a seed: two runs of it are identical, event for event. */
    @Test
    void sameSeedReplaysTheSameRun() {
        Simulation first = new Simulation(7);
        Simulation second = new Simulation(7);
        first.runSafety(SAFETY_STEPS / 4);
        second.runSafety(SAFETY_STEPS / 4);
        assertThat(second.summary()).isEqualTo(first.summary());
        assertThat(second.recentTrace()).isEqualTo(first.recentTrace());
    }

    /** The default seeds do reach joint consensus: some runs commit both entering and leaving a joint config. */
    @Test
    void jointConsensusIsExercised() {
        int entered = 0;
        int left = 0;
        for (long seed = 0; seed < 40; seed++) {
            Simulation sim = new Simulation(seed);
            sim.runSafety(SAFETY_STEPS / 4);
            entered += sim.checker().jointConfigsEntered();
            left += sim.checker().jointConfigsLeft();
        }
        assertThat(entered).isPositive();
        assertThat(left).isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void safetyThenLiveness(long seed) {
        Simulation sim = new Simulation(seed);
        try {
            sim.runSafety(SAFETY_STEPS);
            sim.runLiveness(LIVENESS_ROUNDS_MAX);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(String.format("seed %d failed: %s%n  %s%n  recent events:%n  %s%n"
                + "reproduce: -Dcairn.raft.seed=%d", seed, e, sim.summary(), sim.recentTrace(), seed), e);
        }
    }
}
