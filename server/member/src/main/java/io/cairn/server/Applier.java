package io.cairn.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.server.membership.ClusterMember;
import io.cairn.server.membership.Membership;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseCheckpoint;
import io.cairn.api.etcdserverpb.LeaseCheckpointResponse;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseRevokeResponse;
import io.cairn.mvcc.Compaction;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.lease.Lease;
import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.KvOps;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.RequestOp;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.mvcc.quota.QuotaCost;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.mvcc.quota.Verdict;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.server.auth.AccessChecks;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthApplier;
import io.cairn.server.auth.AuthInfo;
import io.cairn.server.consensus.AppliedIndex;
import io.cairn.server.consensus.ApplyBatch;
import io.cairn.server.consensus.RaftLoop;
import io.cairn.server.consensus.Wait;
import io.cairn.server.rpc.ErrorTable;
import io.cairn.server.rpc.KvCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply loop (etcd's {@code applierV3} on its apply goroutine): one named thread ({@code cairn-apply}) applies
 * committed raft entries in log order. For each entry above the store's consistent index (entries at or below it
 * are already in the backend: a restart replays them from the WAL and they are skipped) it saves the index and term
 * with the entry's writes, decodes the {@code InternalRaftRequest}, applies it and triggers the proposer's
 * {@link Wait} with the result or the error. Each write is checked again by the quota guard before it runs (etcd's
 * capped/quota applier). The backend commits when its batch is due (after every batch of entries and every batch
 * interval). Compactions run in bounded steps queued between batches. Every {@code --snapshot-count} applied
 * entries the backend is committed durably and the raft loop records a snapshot, releasing old WAL segments.
 * Reads never come here.
 */
public final class Applier implements AutoCloseable {
    /** How long {@link #close()} waits for queued batches. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How deeply nested a raft entry's request may be when applied. The client port's parsers (protobuf and JSON)
     * stop a request at 100 levels, and the entry wraps it in an {@code InternalRaftRequest}: apply must read
     * deeper than the door, or a request accepted there (a transaction nested 50 levels) stops every member at
     * apply and again at each restart, when the WAL is replayed. 1,000 also covers Jackson's default JSON nesting.
     */
    static final int ENTRY_NESTING_LIMIT = 1_000;
    /** Floor of the periodic backend commit check, so a 0 batch interval does not spin. */
    private static final Duration MIN_COMMIT_CHECK = Duration.ofMillis(1);
    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

    private final Member member;
    private final KvStore store;
    private final KvOps ops;
    private final Wait wait;
    private final AppliedIndex applied;
    private final long snapshotCount;
    private final ScheduledThreadPoolExecutor thread;
    private final AuthApplier authApplier;
    private RaftLoop raft;
    private long snapshotIndex;
    private ConfState confState = ConfState.getDefaultInstance();
    private volatile AppliedState appliedState = new AppliedState(0, 0, ConfState.getDefaultInstance());

    Applier(Member member, KvOps ops, Wait wait, Duration batchInterval, long snapshotCount) {
        this.member = member;
        this.store = member.store();
        this.ops = ops;
        this.wait = wait;
        this.applied = new AppliedIndex(store.consistentIndex());
        this.snapshotCount = snapshotCount;
        this.authApplier = new AuthApplier(member.auth(), () -> member.header(store.currentRevision()));
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

    /** Connects the raft loop that records snapshots; {@code snapshotIndex} is its newest one. */
    void attach(RaftLoop loop, long currentSnapshotIndex) {
        this.raft = loop;
        this.snapshotIndex = currentSnapshotIndex;
    }

    /** The last applied entry's index and term with the membership then: what a snapshot sent now describes. */
    public record AppliedState(long index, long term, ConfState confState) {
    }

    /** The state after the last applied batch (etcd's appliedi, appliedt, confState); any thread. */
    AppliedState appliedState() {
        return appliedState;
    }

    /** The KV operations, for reads on the caller's thread. */
    public KvOps ops() {
        return ops;
    }

    /** The applied raft index; linearizable reads wait on it. */
    public AppliedIndex applied() {
        return applied;
    }

    /** The raft loop's sink: queues {@code batch} for the apply thread. */
    void enqueue(ApplyBatch batch) {
        try {
            thread.execute(() -> {
                try {
                    apply(batch);
                } catch (RuntimeException | Error e) {
                    member.fail(e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("apply thread stopped; dropped entries up to {}", batch.lastIndex());
        }
    }

    private void apply(ApplyBatch batch) {
        if (batch.snapshot().isPresent()) {
            member.installSnapshot(batch.lastIndex());
            confState = batch.confState();
            snapshotIndex = batch.lastIndex();
            appliedState = new AppliedState(store.consistentIndex(), store.term(), confState);
            applied.advance(Math.max(batch.lastIndex(), store.consistentIndex()));
            return;
        }
        for (Entry e : batch.entries()) {
            if (e.getIndex() > store.consistentIndex()) {
                store.setConsistentIndex(e.getIndex(), e.getTerm());
                if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
                    applyRequest(e);
                } else if (e.getType() == EntryType.EntryConfChange) {
                    applyConfChange(e);
                }
            }
        }
        confState = batch.confState();
        Entry last = batch.entries().get(batch.entries().size() - 1);
        appliedState = new AppliedState(last.getIndex(), last.getTerm(), confState);
        member.backend().commitIfDue();
        applied.advance(batch.lastIndex());
        member.metrics().proposalsApplied(batch.lastIndex());
        if (raft != null && batch.lastIndex() - snapshotIndex > snapshotCount) {
            snapshot(batch.lastIndex());
        }
    }

    /**
     * Reads a raft entry's request, nested up to {@link #ENTRY_NESTING_LIMIT} levels (protobuf's default, 100, is
     * what the client port's parsers allow the request itself; the entry wraps it one level deeper).
     */
    static InternalRaftRequest parseRequest(ByteString data) throws InvalidProtocolBufferException {
        CodedInputStream in = data.newCodedInput();
        in.setRecursionLimit(ENTRY_NESTING_LIMIT);
        return InternalRaftRequest.parser().parseFrom(in);
    }

    private void applyRequest(Entry e) {
        InternalRaftRequest r;
        try {
            r = parseRequest(e.getData());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("unreadable request in raft entry " + e.getIndex(), ex);
        }
        Object result;
        try {
            result = dispatch(r, e.getIndex());
        } catch (RuntimeException ex) {
            result = ex;
        }
        wait.trigger(r.getHeader().getID(), result);
    }

    /**
     * Applies a membership change to the {@link Membership} (etcd's {@code applyConfChange}; raft itself applied it
     * when it was committed) and answers its proposer, by the change's ID, with the members after it. A member that
     * reads its own removal stops.
     */
    private void applyConfChange(Entry e) {
        ConfChange cc;
        try {
            cc = ConfChange.parseFrom(e.getData());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("unreadable conf change in raft entry " + e.getIndex(), ex);
        }
        Membership membership = member.membership();
        switch (cc.getType()) {
            case ConfChangeAddNode, ConfChangeAddLearnerNode -> {
                ClusterMember m = ClusterMember.fromJson(cc.getContext().toByteArray());
                membership.add(new ClusterMember(cc.getNodeId(), m.name(), m.peerUrls(), m.clientUrls(),
                    cc.getType() == ConfChangeType.ConfChangeAddLearnerNode));
            }
            case ConfChangeRemoveNode -> membership.remove(cc.getNodeId());
            case ConfChangeUpdateNode -> membership.updatePeerUrls(cc.getNodeId(),
                ClusterMember.fromJson(cc.getContext().toByteArray()).peerUrls());
            default -> throw new IllegalStateException("unknown conf change type " + cc.getType());
        }
        store.saveConsistentIndex();
        LOG.atInfo().addKeyValue("type", cc.getType()).addKeyValue("member-id", Long.toHexString(cc.getNodeId()))
            .addKeyValue("index", e.getIndex()).log("applied a membership change");
        wait.trigger(cc.getId(), membership.members());
        if (cc.getType() == ConfChangeType.ConfChangeRemoveNode && cc.getNodeId() == member.memberId()) {
            member.removedFromCluster();
        }
    }

    /**
     * Applies one request. Keys are checked against the permissions of the user in the entry's header first
     * (etcd's auth applier, outermost: an auth refusal changes nothing), then the quota.
     */
    private Object dispatch(InternalRaftRequest r, long index) {
        AuthInfo ai = Auth.of(r.getHeader());
        AccessChecks access = member.auth().checks();
        if (r.hasPut()) {
            PutRequest p = KvCodec.put(r.getPut());
            access.checkPut(ai, p, this::leaseKeys);
            return write(RequestKind.PUT, QuotaCost.put(p.key().length, p.value().length),
                () -> member.metrics().mvcc().put(p, ops.put(p)));
        }
        if (r.hasDeleteRange()) {
            DeleteRangeRequest d = KvCodec.deleteRange(r.getDeleteRange());
            access.checkDelete(ai, d);
            return write(RequestKind.DELETE_RANGE, 0, () -> member.metrics().mvcc().deleteRange(d, ops.deleteRange(d)));
        }
        if (r.hasTxn()) {
            TxnRequest t = KvCodec.txn(r.getTxn());
            access.checkTxn(ai, t);
            return write(RequestKind.TXN, txnCost(t), () -> member.metrics().mvcc().txn(t, ops.txn(t)));
        }
        if (AuthApplier.handles(r)) {
            try {
                return authApplier.apply(r, index);
            } finally {
                store.saveConsistentIndex(); // the change and its index reach the backend together
            }
        }
        if (r.hasCompaction()) {
            check(member.guard().beforeApply(RequestKind.COMPACTION, 0));
            Compaction c = store.compact(r.getCompaction().getRevision());
            return new ScheduledCompaction(store.currentRevision(), runCompaction(c));
        }
        if (r.hasAlarm()) {
            return AlarmChange.of(r.getAlarm()).applyTo(member.alarmStore());
        }
        if (r.hasClusterMemberAttrSet()) {
            member.applyMemberAttributes(r.getClusterMemberAttrSet());
            return r.getClusterMemberAttrSet();
        }
        if (r.hasClusterVersionSet()) {
            member.applyClusterVersion(r.getClusterVersionSet().getVer());
            return r.getClusterVersionSet();
        }
        if (r.hasLeaseGrant() || r.hasLeaseRevoke() || r.hasLeaseCheckpoint()) {
            return applyLease(r);
        }
        throw new IllegalArgumentException("unsupported raft request: " + r.getAllFields().keySet());
    }

    /** The quota cost of a transaction: its puts in the bigger branch. */
    public static long txnCost(TxnRequest t) {
        return QuotaCost.txn(putCost(t.success()), putCost(t.failure()));
    }

    private static long putCost(List<RequestOp> requests) {
        long sum = 0;
        for (RequestOp op : requests) {
            if (op instanceof PutRequest p) {
                sum += QuotaCost.put(p.key().length, p.value().length);
            }
        }
        return sum;
    }

    /** The result of an applied compaction: the revision then, and when its last step ran. */
    public record ScheduledCompaction(long currentRevision, CompletableFuture<Void> done) {
    }

    /**
     * Applies a lease request (etcd's applierV3 LeaseGrant/LeaseRevoke/LeaseCheckpoint) and answers etcd's
     * response with the header as of the apply: a grant is checked against the quota like a put, a revoke deletes
     * the lease's keys in one revision, a checkpoint records remaining TTLs (unknown leases are skipped).
     */
    private Object applyLease(InternalRaftRequest r) {
        if (r.hasLeaseGrant()) {
            LeaseGrantRequest g = r.getLeaseGrant();
            Lease lease = write(RequestKind.LEASE_GRANT, QuotaCost.LEASE_GRANT_BYTES,
                () -> member.lessor().grant(g.getID(), g.getTTL()));
            return LeaseGrantResponse.newBuilder().setHeader(member.header(store.currentRevision()))
                .setID(lease.id()).setTTL(lease.ttlSeconds()).build();
        }
        if (r.hasLeaseRevoke()) {
            long id = r.getLeaseRevoke().getID();
            member.auth().checks().checkLeaseKeys(Auth.of(r.getHeader()), leaseKeys(id));
            write(RequestKind.LEASE_REVOKE, 0, () -> {
                member.lessor().revoke(id);
                return id;
            });
            return LeaseRevokeResponse.newBuilder().setHeader(member.header(store.currentRevision())).build();
        }
        for (LeaseCheckpoint c : r.getLeaseCheckpoint().getCheckpointsList()) {
            member.lessor().applyCheckpoint(c.getID(), c.getRemainingTTL());
        }
        return LeaseCheckpointResponse.newBuilder().setHeader(member.header(store.currentRevision())).build();
    }

    /** The keys attached to lease {@code id}; none for an unknown lease. */
    private List<byte[]> leaseKeys(long id) {
        if (!member.auth().isEnabled()) {
            return List.of();
        }
        try {
            return member.lessor().timeToLive(id, true).keys();
        } catch (MvccException.LeaseNotFound e) {
            return List.of();
        }
    }

    /** Queues {@code c}'s steps one task at a time, so entries interleave with them. */
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

    private <T> T write(RequestKind kind, long cost, Supplier<T> apply) {
        Verdict v = member.guard().beforeApply(kind, cost);
        check(v);
        T result = apply.get();
        if (v.action() == Verdict.Action.APPLY_AND_FAIL) {
            v.alarmToRaise().ifPresent(a -> member.alarmStore().activate(a.memberId(), a.type()));
            throw v.error();
        }
        return result;
    }

    private void check(Verdict v) {
        if (!v.proceeds()) {
            v.alarmToRaise().ifPresent(a -> member.alarmStore().activate(a.memberId(), a.type()));
            throw v.error();
        }
    }

    /**
     * Makes everything applied up to {@code index} durable in the backend (its consistent index included), then
     * lets the raft loop record the snapshot and release the WAL before it.
     */
    private void snapshot(long index) {
        store.saveConsistentIndex();
        member.backend().sync();
        raft.snapshot(index, confState);
        snapshotIndex = index;
    }

    /** Runs {@code task} on the apply thread (maintenance that must not interleave with entries). */
    <T> CompletableFuture<T> onApplyThread(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ErrorTable.EtcdError.STOPPED.exception());
        }
    }

    /** Finishes queued batches (bounded by {@link #CLOSE_TIMEOUT}) and stops the thread. */
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
