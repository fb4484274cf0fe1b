package io.cairn.raft.sim;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.ReadOnlyOption;
import java.util.Random;

/**
 * The knobs of one simulation run, all drawn from its seed (TigerBeetle's "swarm testing": each seed gets its own
 * mix of faults and configuration, so rare combinations show up across seeds).
 *
 * @param voters member ids, 3 or 5 of them
 * @param preVote raft pre-vote on or off
 * @param checkQuorum raft check-quorum on or off
 * @param heartbeatTicks leader heartbeat interval; election ticks are fixed at {@link #ELECTION_TICKS}
 * @param maxInflightMsgs flow-control window per follower
 * @param maxSizePerMsgBytes append message size limit (0 = one entry per append)
 * @param maxInflightBytes flow-control window per follower in payload bytes (etcd MaxInflightBytes)
 * @param dropProbability chance a sent message is lost
 * @param duplicateProbability chance a sent message arrives twice
 * @param maxDelaySteps a message is held for up to this many steps (reorders it too)
 * @param readyProbability chance a node runs its Ready loop right after an input (else it waits for a READY event)
 * @param tickWeights per member, how often it ticks relative to the others (clock drift)
 * @param partitions whether this run cuts links at all
 * @param crashes whether this run crashes members at all
 * @param confChanges whether this run's leaders propose membership changes (add, remove, promote, demote; simple
 *     or joint, the leader itself included)
 * @param snapshots whether members snapshot and compact their logs (lagging followers then get MsgSnap)
 */
record Swarm(long[] voters, boolean preVote, boolean checkQuorum, int heartbeatTicks, int maxInflightMsgs,
    long maxSizePerMsgBytes, long maxInflightBytes, double dropProbability, double duplicateProbability,
    int maxDelaySteps, double readyProbability, int[] tickWeights, boolean partitions, boolean crashes,
    boolean confChanges, boolean snapshots) {

    static final int ELECTION_TICKS = 10;

    /**
     * Draws the knobs from {@code random}; the cluster size comes from the seed's parity instead, because the first
     * {@code nextBoolean()} of {@code new Random(seed)} is nearly constant across consecutive small seeds.
     */
    static Swarm from(long seed, Random random) {
        long[] voters = seed % 2 == 0 ? new long[] {1, 2, 3} : new long[] {1, 2, 3, 4, 5};
        int[] tickWeights = new int[voters.length];
        for (int i = 0; i < voters.length; i++) {
            tickWeights[i] = 1 + random.nextInt(3);
        }
        long[] sizes = {0, 256, RaftConfig.DEFAULT_MAX_SIZE_PER_MSG_BYTES};
        long[] inflightBytes = {RaftConfig.NO_INFLIGHT_BYTES_LIMIT, 64, 1024};
        boolean preVote = random.nextBoolean();
        boolean checkQuorum = random.nextBoolean();
        int heartbeatTicks = 1 + random.nextInt(3);
        int maxInflightMsgs = 1 + random.nextInt(8);
        long maxSizePerMsg = sizes[random.nextInt(sizes.length)];
        long maxInflightBytes = Math.max(maxSizePerMsg, inflightBytes[random.nextInt(inflightBytes.length)]);
        return new Swarm(voters, preVote, checkQuorum, heartbeatTicks, maxInflightMsgs, maxSizePerMsg,
            maxInflightBytes, random.nextDouble() * 0.2,
            random.nextDouble() * 0.1, random.nextInt(12), 0.3 + random.nextDouble() * 0.7, tickWeights,
            random.nextInt(4) != 0, random.nextInt(4) != 0, random.nextBoolean(),
            random.nextBoolean());
    }

    RaftConfig config(long id, Random electionRandom) {
        return RaftConfig.defaults(id, electionRandom).withTicks(ELECTION_TICKS, heartbeatTicks)
            .withPreVote(preVote).withCheckQuorum(checkQuorum).withReadOnlyOption(ReadOnlyOption.SAFE)
            .withLimits(maxSizePerMsgBytes, maxInflightMsgs, RaftConfig.DEFAULT_MAX_UNCOMMITTED_ENTRIES_SIZE_BYTES)
            .withMaxInflightBytes(maxInflightBytes);
    }

    @Override
    public String toString() {
        return String.format("Swarm[voters=%d, preVote=%s, checkQuorum=%s, heartbeatTicks=%d, inflight=%d, "
            + "msgBytes=%d, inflightBytes=%d, drop=%.3f, dup=%.3f, delay<=%d, ready=%.2f, tickWeights=%s, "
            + "partitions=%s, crashes=%s, confChanges=%s, snapshots=%s]",
            voters.length, preVote, checkQuorum, heartbeatTicks, maxInflightMsgs, maxSizePerMsgBytes, maxInflightBytes,
            dropProbability,
            duplicateProbability, maxDelaySteps, readyProbability, java.util.Arrays.toString(tickWeights), partitions,
            crashes, confChanges, snapshots);
    }
}
