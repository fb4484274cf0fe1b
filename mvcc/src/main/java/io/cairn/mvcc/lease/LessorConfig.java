package io.cairn.mvcc.lease;

import java.time.Duration;

/**
 * Lessor settings, validated once. Defaults are etcd v3.5's.
 *
 * @param minTtlSeconds shorter grants are raised to this; etcd derives it from raft timing, see
 *     {@link #minTtlSeconds(int, Duration)} (2 s for etcd's defaults); in [1, {@link Lessor#MAX_LEASE_TTL_SECONDS}]
 * @param revokeRatePerSecond expired leases handed out per second at most (etcd {@code leaseRevokeRate}, 1000);
 *     also the lease count from which {@link Lessor#promote} spreads out expiries that pile up
 * @param expiryStepInterval how often the server calls {@link Lessor#expiredLeases} (etcd: 500 ms); each call
 *     returns at most {@code revokeRatePerSecond * expiryStepInterval} leases
 * @param expiredRetryInterval an expired lease handed out is handed out again after this if it is still not
 *     revoked, e.g. because the proposal was lost (etcd {@code expiredLeasesRetryInterval}, 3 s)
 * @param checkpointing whether the primary checkpoints remaining TTLs (etcd
 *     {@code --experimental-enable-lease-checkpoint}); applied checkpoints are always persisted (etcd 3.6)
 * @param checkpointInterval how long after a grant, promotion or checkpoint the next checkpoint of a lease is due
 *     (etcd: 5 min); leases whose TTL is not longer than this are never checkpointed
 * @param checkpointBatchLimit checkpoints returned per {@link Lessor#dueCheckpoints} call (etcd: 1000)
 */
public record LessorConfig(
    long minTtlSeconds,
    int revokeRatePerSecond,
    Duration expiryStepInterval,
    Duration expiredRetryInterval,
    boolean checkpointing,
    Duration checkpointInterval,
    int checkpointBatchLimit) {

    /** etcd's defaults with its default raft timing (10 election ticks of 100 ms): minimum TTL 2 s. */
    public static final LessorConfig DEFAULT = new LessorConfig(2, 1_000, Duration.ofMillis(500),
        Duration.ofSeconds(3), true, Duration.ofMinutes(5), 1_000);

    public LessorConfig {
        if (minTtlSeconds < 1 || minTtlSeconds > Lessor.MAX_LEASE_TTL_SECONDS) {
            throw new IllegalArgumentException("minTtlSeconds must be in [1, " + Lessor.MAX_LEASE_TTL_SECONDS
                + "]: " + minTtlSeconds);
        }
        if (revokeRatePerSecond < 1 || revokeRatePerSecond > 1_000_000) {
            throw new IllegalArgumentException("revokeRatePerSecond must be in [1, 1000000]: "
                + revokeRatePerSecond);
        }
        requirePositive("expiryStepInterval", expiryStepInterval);
        requirePositive("expiredRetryInterval", expiredRetryInterval);
        requirePositive("checkpointInterval", checkpointInterval);
        if (checkpointBatchLimit < 1 || checkpointBatchLimit > 1_000_000) {
            throw new IllegalArgumentException("checkpointBatchLimit must be in [1, 1000000]: "
                + checkpointBatchLimit);
        }
        if (revokeLimitPerStep(revokeRatePerSecond, expiryStepInterval) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("revokeRatePerSecond * expiryStepInterval is too large");
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, 365 days]: " + d);
        }
    }

    /**
     * etcd's minimum lease TTL: {@code ceil((3 * electionTicks / 2) * heartbeat)} in seconds, with the tick count
     * halved in integer arithmetic as etcd does, so a lease outlives a leader election.
     */
    public static long minTtlSeconds(int electionTicks, Duration heartbeat) {
        if (electionTicks < 1 || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("electionTicks and heartbeat must be positive");
        }
        long nanos = Math.multiplyExact((3L * electionTicks) / 2, heartbeat.toNanos());
        return Math.max(1, LeaseTime.ceilSeconds(nanos));
    }

    /** This config with another minimum TTL. */
    public LessorConfig withMinTtlSeconds(long seconds) {
        return new LessorConfig(seconds, revokeRatePerSecond, expiryStepInterval, expiredRetryInterval,
            checkpointing, checkpointInterval, checkpointBatchLimit);
    }

    /** This config with another revoke rate. */
    public LessorConfig withRevokeRatePerSecond(int rate) {
        return new LessorConfig(minTtlSeconds, rate, expiryStepInterval, expiredRetryInterval, checkpointing,
            checkpointInterval, checkpointBatchLimit);
    }

    /** This config with checkpointing switched on or off. */
    public LessorConfig withCheckpointing(boolean enabled) {
        return new LessorConfig(minTtlSeconds, revokeRatePerSecond, expiryStepInterval, expiredRetryInterval,
            enabled, checkpointInterval, checkpointBatchLimit);
    }

    /** This config with another checkpoint interval. */
    public LessorConfig withCheckpointInterval(Duration interval) {
        return new LessorConfig(minTtlSeconds, revokeRatePerSecond, expiryStepInterval, expiredRetryInterval,
            checkpointing, interval, checkpointBatchLimit);
    }

    /** Expired leases one {@link Lessor#expiredLeases} call returns at most (etcd: 1000/s * 0.5 s = 500). */
    public int revokeLimitPerStep() {
        return (int) revokeLimitPerStep(revokeRatePerSecond, expiryStepInterval);
    }

    private static long revokeLimitPerStep(int rate, Duration interval) {
        long perStep = (long) ((double) rate * interval.toNanos() / LeaseTime.NANOS_PER_SECOND);
        return Math.max(1, perStep);
    }
}
