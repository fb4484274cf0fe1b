package io.cairn.mvcc.lease;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * A lease's mutable state inside the {@link Lessor} (etcd's {@code lease.Lease}). Guarded by the lessor's state
 * lock; never handed out.
 *
 * <p>{@code ttlSeconds} is the granted TTL (already raised to the minimum). {@code remainingTtlSeconds} is the
 * last checkpointed remaining TTL, 0 when unset; while set, a promotion expires the lease after it instead of the
 * full TTL. {@code expiryNanos} is only meaningful on the primary; elsewhere it is {@link LeaseTime#FOREVER}.
 * {@code keys} are the attached keys in unsigned byte order, the order a revoke deletes them in on every member.
 */
final class LeaseEntry {
    final long id;
    final long ttlSeconds;
    long remainingTtlSeconds;
    long expiryNanos = LeaseTime.FOREVER;
    final TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);

    LeaseEntry(long id, long ttlSeconds, long remainingTtlSeconds) {
        this.id = id;
        this.ttlSeconds = ttlSeconds;
        this.remainingTtlSeconds = remainingTtlSeconds;
    }

    /** etcd's getRemainingTTL: the checkpointed remaining TTL if set, else the full TTL. */
    long effectiveTtlSeconds() {
        return remainingTtlSeconds > 0 ? remainingTtlSeconds : ttlSeconds;
    }

    /** etcd's refresh: expire {@code extendNanos} plus the effective TTL from now. */
    void refresh(long nowNanos, long extendNanos) {
        expiryNanos = LeaseTime.expiry(nowNanos, extendNanos, effectiveTtlSeconds());
    }

    /** A keep-alive: the full TTL from now, whatever was checkpointed (etcd clears the checkpoint first). */
    void renew(long nowNanos) {
        expiryNanos = LeaseTime.expiry(nowNanos, 0, ttlSeconds);
    }

    void forever() {
        expiryNanos = LeaseTime.FOREVER;
    }

    long remainingNanos(long nowNanos) {
        return LeaseTime.remainingNanos(expiryNanos, nowNanos);
    }

    boolean expired(long nowNanos) {
        return remainingNanos(nowNanos) <= 0;
    }

    Lease snapshot() {
        return new Lease(id, ttlSeconds, remainingTtlSeconds);
    }
}
