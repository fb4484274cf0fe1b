package io.cairn.server;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseCheckpointRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.mvcc.lease.LeaseCheckpoint;
import io.cairn.mvcc.lease.Lessor;
import io.cairn.mvcc.lease.LessorConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease loop (etcd's lessor {@code runLoop} with the server's {@code revokeExpiredLeases} and the
 * lessor's {@code checkpointScheduledLeases}): one daemon thread ({@code cairn-lease-expiry}) that every
 * {@link LessorConfig#expiryStepInterval()} asks the lessor for expired leases and proposes a {@code LeaseRevoke}
 * for each, then proposes the due checkpoints as {@code LeaseCheckpoint} batches. The lessor answers nothing
 * unless it is the primary, so the loop runs on every member and acts only on the leader.
 *
 * <p>Limits, as etcd's: at most {@link LessorConfig#revokeLimitPerStep()} revokes per step (the lessor's share of
 * {@code leaseRevokeRate} = 1000/s), at most {@link #MAX_PENDING_REVOKES} revokes in flight (the thread waits for
 * a slot, bounded by the request timeout), and at most {@link #MAX_CHECKPOINT_BATCHES_PER_STEP} checkpoint batches
 * per step, each proposed and awaited before the next (etcd's {@code le.cp} is synchronous). A revoke that fails
 * (no leader, timeout, already revoked) is only logged: the lessor hands the lease out again after
 * {@link LessorConfig#expiredRetryInterval()} if it is still there.
 */
final class LeaseExpiry implements AutoCloseable {
    /** etcd's maxPendingRevokes. */
    static final int MAX_PENDING_REVOKES = 16;
    /** etcd's leaseCheckpointRate / 2: checkpoint batches per step. */
    static final int MAX_CHECKPOINT_BATCHES_PER_STEP = 500;
    private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiry.class);

    private final Lessor lessor;
    private final LessorConfig config;
    private final Function<InternalRaftRequest.Builder, CompletableFuture<Object>> propose;
    private final LongSupplier nanoClock;
    private final Duration requestTimeout;
    private final Semaphore pendingRevokes = new Semaphore(MAX_PENDING_REVOKES);
    private final ScheduledThreadPoolExecutor thread;

    LeaseExpiry(Lessor lessor, LessorConfig config, Function<InternalRaftRequest.Builder,
        CompletableFuture<Object>> propose, LongSupplier nanoClock, Duration requestTimeout) {
        this.lessor = lessor;
        this.config = config;
        this.propose = propose;
        this.nanoClock = nanoClock;
        this.requestTimeout = requestTimeout;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cairn-lease-expiry");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts stepping every {@link LessorConfig#expiryStepInterval()}. */
    void start() {
        long period = config.expiryStepInterval().toNanos();
        thread.scheduleWithFixedDelay(this::step, period, period, TimeUnit.NANOSECONDS);
    }

    /** One step: revoke what expired, then checkpoint what is due. Never throws: the loop must keep running. */
    void step() {
        try {
            revokeExpired();
            checkpointDue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("lease expiry step failed; retrying next step", e);
        }
    }

    private void revokeExpired() throws InterruptedException {
        List<Long> expired = lessor.expiredLeases(nanoClock.getAsLong());
        for (long id : expired) {
            if (!pendingRevokes.tryAcquire(requestTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("lease revokes are stuck; {} expired leases wait for the next step", expired.size());
                return;
            }
            CompletableFuture<Object> f;
            try {
                f = propose.apply(InternalRaftRequest.newBuilder()
                    .setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)));
            } catch (RuntimeException e) {
                pendingRevokes.release();
                throw e;
            }
            f.whenComplete((r, err) -> {
                pendingRevokes.release();
                if (err != null) {
                    LOG.warn("failed to revoke expired lease {}: {}", Long.toHexString(id), err.getMessage());
                } else {
                    LOG.debug("revoked expired lease {}", Long.toHexString(id));
                }
            });
        }
    }

    private void checkpointDue() throws InterruptedException {
        for (int i = 0; i < MAX_CHECKPOINT_BATCHES_PER_STEP; i++) {
            List<LeaseCheckpoint> due = lessor.dueCheckpoints(nanoClock.getAsLong());
            if (due.isEmpty()) {
                return;
            }
            LeaseCheckpointRequest.Builder batch = LeaseCheckpointRequest.newBuilder();
            for (LeaseCheckpoint c : due) {
                batch.addCheckpoints(io.cairn.api.etcdserverpb.LeaseCheckpoint.newBuilder().setID(c.id())
                    .setRemainingTTL(c.remainingTtlSeconds()));
            }
            try {
                propose.apply(InternalRaftRequest.newBuilder().setLeaseCheckpoint(batch))
                    .get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("failed to checkpoint {} leases: {}", due.size(), e.getMessage());
                return;
            }
            if (due.size() < config.checkpointBatchLimit()) {
                return;
            }
        }
    }

    /** Stops the thread; proposals in flight complete or time out on their own. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("lease expiry thread did not stop within {}", requestTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
