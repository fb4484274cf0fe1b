package io.cairn.mvcc.lease;

/**
 * An immutable view of a lease.
 *
 * @param id the lease ID, never 0
 * @param ttlSeconds the granted TTL, at least the lessor's minimum and at most {@link Lessor#MAX_LEASE_TTL_SECONDS}
 * @param checkpointedRemainingTtlSeconds the last checkpointed remaining TTL, 0 when none
 */
public record Lease(long id, long ttlSeconds, long checkpointedRemainingTtlSeconds) {
}
