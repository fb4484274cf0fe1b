package io.cairn.mvcc.lease;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The primary's timers: the expiry queue, the checkpoint heap (etcd's {@code leaseCheckpointHeap}, which may hold
 * several deadlines per lease) and the checkpoint clears requested by keep-alives. Emptied on demotion. Entries of
 * revoked leases are skipped when they come due. Not thread-safe: used under the lessor's state lock.
 */
final class LeaseSchedule {
    private final LessorConfig config;
    private final LeaseExpiryQueue expiries = new LeaseExpiryQueue();
    private final PriorityQueue<LeaseDeadline> checkpoints = new PriorityQueue<>(LeaseDeadline.ORDER);
    private final Set<Long> clears = new LinkedHashSet<>();

    LeaseSchedule(LessorConfig config) {
        this.config = config;
    }

    /** Queues (or moves) the lease's expiry to its current expiry time. */
    void trackExpiry(LeaseEntry lease) {
        expiries.registerOrUpdate(lease.id, lease.expiryNanos);
    }

    /**
     * etcd's scheduleCheckpointIfNeeded: a lease whose effective TTL is longer than the checkpoint interval gets
     * a checkpoint one interval from now.
     */
    void scheduleCheckpoint(LeaseEntry lease, long nowNanos) {
        long intervalSeconds = config.checkpointInterval().toSeconds();
        if (config.checkpointing() && lease.effectiveTtlSeconds() > intervalSeconds) {
            checkpoints.add(new LeaseDeadline(LeaseTime.saturatedAdd(nowNanos,
                config.checkpointInterval().toNanos()), lease.id));
        }
    }

    /** A keep-alive on a checkpointed lease: the next checkpoint batch clears its remaining TTL. */
    void requestClear(long id) {
        if (config.checkpointing()) {
            clears.add(id);
        }
    }

    void clear() {
        expiries.clear();
        checkpoints.clear();
        clears.clear();
    }

    /**
     * etcd's findExpiredLeases: leases past expiry, earliest first, at most {@code limit}. Each one returned is
     * queued again {@code expiredRetryInterval} later, so it comes back if its revoke never applies.
     */
    List<Long> expired(Map<Long, LeaseEntry> leases, long nowNanos, int limit) {
        List<Long> due = new ArrayList<>();
        long retryNanos = config.expiredRetryInterval().toNanos();
        while (due.size() < limit) {
            LeaseDeadline next = expiries.peek();
            if (next == null) {
                break;
            }
            LeaseEntry lease = leases.get(next.id());
            if (lease == null) {
                expiries.remove(next.id());
                continue;
            }
            if (nowNanos < next.timeNanos()) {
                break;
            }
            expiries.registerOrUpdate(next.id(), LeaseTime.saturatedAdd(nowNanos, retryNanos));
            if (lease.expired(nowNanos)) {
                due.add(lease.id);
            }
        }
        return due;
    }

    /**
     * etcd's findDueScheduledCheckpoints, preceded by the clears keep-alives asked for: at most {@code limit}
     * checkpoints. A due lease is skipped if it is gone, expired, or has its full TTL left (just renewed).
     */
    List<LeaseCheckpoint> dueCheckpoints(Map<Long, LeaseEntry> leases, long nowNanos, int limit) {
        List<LeaseCheckpoint> due = new ArrayList<>();
        for (Iterator<Long> it = clears.iterator(); it.hasNext() && due.size() < limit; ) {
            long id = it.next();
            it.remove();
            if (leases.containsKey(id)) {
                due.add(new LeaseCheckpoint(id, 0));
            }
        }
        while (!checkpoints.isEmpty() && due.size() < limit) {
            LeaseDeadline next = checkpoints.peek();
            if (next.timeNanos() > nowNanos) {
                break;
            }
            checkpoints.poll();
            LeaseEntry lease = leases.get(next.id());
            if (lease == null || lease.expired(nowNanos)) {
                continue;
            }
            long remaining = LeaseTime.ceilSeconds(lease.remainingNanos(nowNanos));
            if (remaining >= lease.ttlSeconds) {
                continue;
            }
            due.add(new LeaseCheckpoint(lease.id, remaining));
        }
        return due;
    }

    /** Deadlines queued, for tests and metrics. */
    int expiryQueueSize() {
        return expiries.size();
    }
}
