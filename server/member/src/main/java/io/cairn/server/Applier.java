package io.cairn.server;

import io.cairn.mvcc.Compaction;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.DeleteRangeResponse;
import io.cairn.mvcc.op.KvOps;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.PutResponse;
import io.cairn.mvcc.op.RequestOp;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.mvcc.op.TxnResponse;
import io.cairn.mvcc.quota.QuotaCost;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.mvcc.quota.Verdict;
import io.cairn.server.rpc.ErrorTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The apply loop: one named thread ({@code cairn-apply}) runs every change in submission order, the stand-in for
 * applying committed raft entries (etcd's applier). Each write is checked by the quota guard at submission (etcd's
 * quota RPC layer) and again before it runs (etcd's capped/quota applier), counts as one raft index, and the
 * backend commits when its batch is due (checked after every write and every batch interval). Compactions run
 * in bounded steps queued between writes. Ranges and read-only transactions never come here.
 */
public final class Applier implements AutoCloseable {
    /** How long {@link #close()} waits for queued writes. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Floor of the periodic backend commit check, so a 0 batch interval does not spin. */
    private static final Duration MIN_COMMIT_CHECK = Duration.ofMillis(1);

    private final Member member;
    private final KvStore store;
    private final KvOps ops;
    private final ScheduledThreadPoolExecutor thread;
    private long appliedIndex;

    Applier(Member member, KvOps ops, Duration batchInterval) {
        this.member = member;
        this.store = member.store();
        this.ops = ops;
        this.appliedIndex = store.consistentIndex();
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cairn-apply");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long periodNanos = Math.max(batchInterval.toNanos(), MIN_COMMIT_CHECK.toNanos());
        thread.scheduleWithFixedDelay(() -> member.backend().commitIfDue(), periodNanos, periodNanos,
            TimeUnit.NANOSECONDS);
    }

    /** The KV operations, for reads on the caller's thread. */
    public KvOps ops() {
        return ops;
    }

    /** The raft index of the last applied write (the store's consistent index). */
    public long appliedIndex() {
        return store.consistentIndex();
    }

    public CompletableFuture<PutResponse> put(PutRequest r) {
        long cost = QuotaCost.put(r.key().length, r.value().length);
        return write(RequestKind.PUT, cost, () -> ops.put(r));
    }

    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest r) {
        return write(RequestKind.DELETE_RANGE, 0, () -> ops.deleteRange(r));
    }

    /** A transaction; read-only ones run on the caller's thread, like etcd's txn fast path. */
    public CompletableFuture<TxnResponse> txn(TxnRequest r) {
        if (r.isReadOnly()) {
            return member.guard().beforeApply(RequestKind.TXN, 0).proceeds()
                ? CompletableFuture.completedFuture(ops.txn(r))
                : CompletableFuture.failedFuture(ErrorTable.EtcdError.CORRUPT.exception());
        }
        long cost = QuotaCost.txn(putCost(r.success()), putCost(r.failure()));
        return write(RequestKind.TXN, cost, () -> ops.txn(r));
    }

    private static long putCost(List<RequestOp> ops) {
        long sum = 0;
        for (RequestOp op : ops) {
            if (op instanceof PutRequest p) {
                sum += QuotaCost.put(p.key().length, p.value().length);
            }
        }
        return sum;
    }

    /**
     * etcd's Compact: schedules the compaction at {@code rev} on the apply thread and runs its steps there.
     *
     * @param physical answer only when every step ran (etcd's {@code physical})
     * @return the store's revision when the compaction was scheduled
     */
    public CompletableFuture<Long> compact(long rev, boolean physical) {
        return submit(() -> {
            check(member.guard().beforeApply(RequestKind.COMPACTION, 0));
            Compaction c = store.compact(rev);
            return new ScheduledCompaction(store.currentRevision(), runCompaction(c));
        }).thenCompose(s -> physical ? s.done().thenApply(x -> s.currentRevision())
            : CompletableFuture.completedFuture(s.currentRevision()));
    }

    private record ScheduledCompaction(long currentRevision, CompletableFuture<Void> done) {
    }

    /** Queues {@code c}'s steps one task at a time, so writes interleave with them. */
    CompletableFuture<Void> runCompaction(Compaction c) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable step = new Runnable() {
            @Override
            public void run() {
                try {
                    if (c.step()) {
                        thread.execute(this);
                    } else {
                        done.complete(null);
                    }
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }
        };
        try {
            thread.execute(step);
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(ErrorTable.EtcdError.STOPPED.exception());
        }
        return done;
    }

    private <T> CompletableFuture<T> write(RequestKind kind, long cost, Supplier<T> apply) {
        Verdict admitted = member.guard().admit(kind, cost);
        if (!admitted.proceeds()) {
            admitted.alarmToRaise().ifPresent(a -> submit(() -> {
                member.raise(a);
                return null;
            }));
            return CompletableFuture.failedFuture(admitted.error());
        }
        return submit(() -> {
            Verdict v = member.guard().beforeApply(kind, cost);
            check(v);
            store.setConsistentIndex(++appliedIndex, Member.TERM);
            T result = apply.get();
            member.backend().commitIfDue();
            if (v.action() == Verdict.Action.APPLY_AND_FAIL) {
                v.alarmToRaise().ifPresent(member::raise);
                throw v.error();
            }
            return result;
        });
    }

    private void check(Verdict v) {
        if (!v.proceeds()) {
            v.alarmToRaise().ifPresent(member::raise);
            throw v.error();
        }
    }

    private <T> CompletableFuture<T> submit(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ErrorTable.EtcdError.STOPPED.exception());
        }
    }

    /** Finishes queued writes (bounded by {@link #CLOSE_TIMEOUT}) and stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
