package io.cairn.mvcc.lease;

/**
 * A remaining TTL to record through consensus (etcd's {@code LeaseCheckpoint}); the server proposes a batch of
 * them as one {@code LeaseCheckpointRequest}, and every member applies each with {@link Lessor#applyCheckpoint}.
 *
 * @param id the lease ID
 * @param remainingTtlSeconds whole seconds left, rounded up; 0 clears an earlier checkpoint (after a keep-alive)
 */
public record LeaseCheckpoint(long id, long remainingTtlSeconds) {
}
