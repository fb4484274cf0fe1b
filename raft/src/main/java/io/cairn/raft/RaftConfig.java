package io.cairn.raft;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Immutable, validated configuration of one {@link RaftNode} (etcd {@code raft.Config}). Built once by the server.
 *
 * @param id this node's id, never 0
 * @param electionTicks ticks without hearing from a leader before a follower campaigns; the actual timeout is
 *     randomized in {@code [electionTicks, 2 * electionTicks)}; must exceed {@code heartbeatTicks}
 * @param heartbeatTicks ticks between leader heartbeats
 * @param maxSizePerMsgBytes byte limit of the entries in one append message (0 = one entry per message)
 * @param maxInflightMsgs append messages in flight per follower in the replicate state
 * @param maxInflightBytes payload bytes of appends in flight per follower in the replicate state (etcd
 *     {@code MaxInflightBytes}; {@link #NO_INFLIGHT_BYTES_LIMIT} = none); at least {@code maxSizePerMsgBytes}.
 *     The limit is soft: one append may cross it when nothing else is in flight
 * @param maxUncommittedEntriesSizeBytes payload bytes a leader accepts uncommitted before dropping proposals
 *     ({@link Long#MAX_VALUE} = no limit)
 * @param maxCommittedSizePerReadyBytes byte limit of committed entries handed out in one Ready
 * @param preVote run a pre-election (Raft thesis 9.6) so a partitioned node does not bump terms
 * @param checkQuorum a leader steps down after an election timeout without hearing from a quorum
 * @param readOnlyOption how ReadIndex is confirmed; {@link ReadOnlyOption#LEASE_BASED} requires checkQuorum
 * @param random source of the randomized election timeout; seed it in tests
 * @param logger where raft reports its decisions ({@link RaftLogger#NOOP} by default)
 */
public record RaftConfig(long id, int electionTicks, int heartbeatTicks, long maxSizePerMsgBytes,
    int maxInflightMsgs, long maxInflightBytes, long maxUncommittedEntriesSizeBytes, long maxCommittedSizePerReadyBytes,
    boolean preVote, boolean checkQuorum, ReadOnlyOption readOnlyOption, RandomGenerator random, RaftLogger logger) {

    /** etcd server's defaults: 1 MiB messages, 256 inflight appends per follower (as in etcd's raft setup). */
    public static final long DEFAULT_MAX_SIZE_PER_MSG_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_INFLIGHT_MSGS = 256;
    /** No byte limit on appends in flight (etcd's default, 0 there). */
    public static final long NO_INFLIGHT_BYTES_LIMIT = Long.MAX_VALUE;
    public static final long DEFAULT_MAX_UNCOMMITTED_ENTRIES_SIZE_BYTES = 1L << 30;
    public static final long DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES = 1L << 30;

    public RaftConfig {
        Objects.requireNonNull(readOnlyOption, "readOnlyOption");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(logger, "logger");
        require(id != 0, "id must not be 0 (0 means 'none' in raft)");
        require(heartbeatTicks > 0, "heartbeatTicks must be > 0, got " + heartbeatTicks);
        require(electionTicks > heartbeatTicks,
            "electionTicks (" + electionTicks + ") must be > heartbeatTicks (" + heartbeatTicks + ")");
        require(maxSizePerMsgBytes >= 0, "maxSizePerMsgBytes must be >= 0, got " + maxSizePerMsgBytes);
        require(maxInflightMsgs > 0, "maxInflightMsgs must be > 0, got " + maxInflightMsgs);
        require(maxInflightBytes >= maxSizePerMsgBytes && maxInflightBytes > 0, "maxInflightBytes ("
            + maxInflightBytes + ") must be > 0 and >= maxSizePerMsgBytes (" + maxSizePerMsgBytes + ")");
        require(maxUncommittedEntriesSizeBytes > 0,
            "maxUncommittedEntriesSizeBytes must be > 0, got " + maxUncommittedEntriesSizeBytes);
        require(maxCommittedSizePerReadyBytes > 0,
            "maxCommittedSizePerReadyBytes must be > 0, got " + maxCommittedSizePerReadyBytes);
        require(readOnlyOption != ReadOnlyOption.LEASE_BASED || checkQuorum,
            "readOnlyOption LEASE_BASED requires checkQuorum");
    }

    /** The configuration without a byte limit on appends in flight and without a logger. */
    public RaftConfig(long id, int electionTicks, int heartbeatTicks, long maxSizePerMsgBytes, int maxInflightMsgs,
        long maxUncommittedEntriesSizeBytes, long maxCommittedSizePerReadyBytes, boolean preVote, boolean checkQuorum,
        ReadOnlyOption readOnlyOption, RandomGenerator random) {
        this(id, electionTicks, heartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs, NO_INFLIGHT_BYTES_LIMIT,
            maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, preVote, checkQuorum, readOnlyOption, random,
            RaftLogger.NOOP);
    }

    /** Defaults: 10 election ticks, 1 heartbeat tick, pre-vote and check-quorum on, safe reads. */
    public static RaftConfig defaults(long id, RandomGenerator random) {
        return new RaftConfig(id, 10, 1, DEFAULT_MAX_SIZE_PER_MSG_BYTES, DEFAULT_MAX_INFLIGHT_MSGS,
            DEFAULT_MAX_UNCOMMITTED_ENTRIES_SIZE_BYTES, DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES, true, true,
            ReadOnlyOption.SAFE, random);
    }

    public RaftConfig withTicks(int newElectionTicks, int newHeartbeatTicks) {
        return new RaftConfig(id, newElectionTicks, newHeartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs,
            maxInflightBytes, maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, preVote, checkQuorum,
            readOnlyOption, random, logger);
    }

    public RaftConfig withPreVote(boolean enabled) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs,
            maxInflightBytes, maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, enabled, checkQuorum,
            readOnlyOption, random, logger);
    }

    public RaftConfig withCheckQuorum(boolean enabled) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs,
            maxInflightBytes, maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, preVote, enabled,
            readOnlyOption, random, logger);
    }

    public RaftConfig withReadOnlyOption(ReadOnlyOption option) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs,
            maxInflightBytes, maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, preVote, checkQuorum,
            option, random, logger);
    }

    /** New message, inflight and uncommitted limits; a byte limit in flight below the new message size is raised. */
    public RaftConfig withLimits(long newMaxSizePerMsgBytes, int newMaxInflightMsgs, long newMaxUncommittedBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, newMaxSizePerMsgBytes, newMaxInflightMsgs,
            Math.max(maxInflightBytes, newMaxSizePerMsgBytes), newMaxUncommittedBytes, maxCommittedSizePerReadyBytes,
            preVote, checkQuorum, readOnlyOption, random, logger);
    }

    /** The same with a byte limit on appends in flight per follower (etcd {@code MaxInflightBytes}). */
    public RaftConfig withMaxInflightBytes(long newMaxInflightBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs,
            newMaxInflightBytes, maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, preVote, checkQuorum,
            readOnlyOption, random, logger);
    }

    public RaftConfig withLogger(RaftLogger newLogger) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsgBytes, maxInflightMsgs,
            maxInflightBytes, maxUncommittedEntriesSizeBytes, maxCommittedSizePerReadyBytes, preVote, checkQuorum,
            readOnlyOption, random, newLogger);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("raft config: " + message);
        }
    }
}
