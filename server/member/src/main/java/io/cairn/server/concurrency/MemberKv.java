package io.cairn.server.concurrency;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.backend.Keys;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.op.DeleteRangeResponse;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RequestChecks;
import io.cairn.mvcc.op.RangeResponse;
import io.cairn.mvcc.op.TxnResponse;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.mvcc.watch.WatchRequest;
import io.cairn.server.Applier;
import io.cairn.server.Member;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthInfo;
import io.cairn.server.rpc.Callers;
import io.cairn.server.rpc.Admission;
import io.cairn.server.rpc.BlockingWork;
import io.cairn.server.rpc.ErrorTable;
import io.cairn.server.rpc.KvCodec;
import io.cairn.server.rpc.LeaseService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What etcd's v3lock and v3election get from their {@code clientv3.Client}, served by this member without a
 * network hop: transactions and deletes proposed to raft (admitted by the quota like the KV service's), linearizable
 * ranges, lease grants (through the {@link LeaseService}), watches on the member's watchable store
 * ({@link KeyWatches}), and the concurrency package's {@code waitDeletes}. Thread-safe; every call is asynchronous.
 */
public final class MemberKv {
    /** etcd concurrency's defaultSessionTTL: the TTL of the lease a session grants when given none. */
    public static final long DEFAULT_SESSION_TTL_SECONDS = 60;

    private final Member member;
    private final LeaseService leases;
    private final KeyWatches watches;
    private final RequestChecks checks;
    private final AuthInfo caller;

    public MemberKv(Member member, LeaseService leases, KeyWatches watches) {
        this(member, leases, watches, AuthInfo.NONE);
    }

    private MemberKv(Member member, LeaseService leases, KeyWatches watches, AuthInfo caller) {
        this.member = member;
        this.leases = leases;
        this.watches = watches;
        this.checks = new RequestChecks(member.config().maxTxnOps());
        this.caller = caller;
    }

    /**
     * This member's KV acting as the caller of the current request (etcd's lock and election services call etcd
     * with the client's token): writes carry its user, reads and watches are checked against its permissions.
     *
     * @throws io.cairn.server.auth.AuthException for an invalid token
     */
    public MemberKv asCaller() {
        return new MemberKv(member, leases, watches, member.auth().identifyOrNone(Callers.current()));
    }

    /** etcd's response header at {@code revision}. */
    public ResponseHeader header(long revision) {
        return member.header(revision);
    }

    /** A write transaction through raft, checked against the quota first. */
    public CompletableFuture<TxnResponse> txn(TxnRequest txn) {
        try {
            Admission.admit(member, RequestKind.TXN, Applier.txnCost(KvCodec.txn(txn)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return member.propose(Auth.as(caller, InternalRaftRequest.newBuilder().setTxn(txn)))
            .thenApply(TxnResponse.class::cast);
    }

    /**
     * Deletes one key through raft (etcd's {@code client.Delete(ctx, key)}), validated as the KV service does (an
     * empty key is "etcdserver: key is not provided").
     */
    public CompletableFuture<DeleteRangeResponse> delete(byte[] key) {
        DeleteRangeRequest request = DeleteRangeRequest.newBuilder().setKey(ByteString.copyFrom(key)).build();
        try {
            checks.check(KvCodec.deleteRange(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return member.propose(Auth.as(caller, InternalRaftRequest.newBuilder().setDeleteRange(request)))
            .thenApply(DeleteRangeResponse.class::cast);
    }

    /** A linearizable range (clientv3's default {@code Get}). */
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        Executor executor = BlockingWork.executor();
        return member.linearizableRead().thenApplyAsync(x -> {
            member.auth().checks().checkRange(caller, request);
            return member.applier().ops().range(request);
        }, executor);
    }

    /** A new lease with {@code ttlSeconds} (etcd's NewSession without a lease); completes with its ID. */
    public CompletableFuture<Long> grant(long ttlSeconds) {
        try {
            return leases.grant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build(), caller)
                .thenApply(r -> r.getID());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The session's lease (etcd's {@code NewSession(WithLease(lease))}): {@code lease}, or a new one for 0. */
    public CompletableFuture<Long> session(long lease) {
        return lease != 0 ? CompletableFuture.completedFuture(lease) : grant(DEFAULT_SESSION_TTL_SECONDS);
    }

    /**
     * Watches keys; see {@link KeyWatches#watch}.
     *
     * @throws io.cairn.server.auth.AuthException when the caller may not read them
     */
    public KeyWatches.Watch watch(WatchRequest request, KeyWatches.Listener listener) {
        checkWatch(request);
        return watches.watch(request, listener);
    }

    private void checkWatch(WatchRequest request) {
        KeyRange r = request.range();
        byte[] end = switch (r.kind()) {
            case SINGLE -> new byte[0];
            case FROM -> new byte[] {0};
            case BETWEEN -> r.end();
        };
        member.auth().checks().checkRead(caller, r.key(), end);
    }

    /**
     * etcd's {@code waitDeletes}: until no key under {@code prefix} has a create revision at or below
     * {@code maxCreateRev}, waits for the deletion of the newest such key. Completes with the revision of the last
     * (empty) read; fails with a compaction, a failed read, or {@code cancel}.
     */
    public CompletableFuture<Long> waitDeletes(byte[] prefix, long maxCreateRev, Cancellation cancel) {
        RangeRequest newest = prefixRange(prefix).withSort(RangeRequest.SortOrder.DESCEND,
            RangeRequest.SortTarget.CREATE).withLimit(1).withCreateRevisions(0, maxCreateRev);
        return range(newest).thenCompose(r -> {
            if (r.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(r.revision());
            }
            return waitDelete(r.kvs().get(0).key(), r.revision(), cancel)
                .thenCompose(x -> waitDeletes(prefix, maxCreateRev, cancel));
        });
    }

    /** etcd's {@code waitDelete}: the first DELETE of {@code key} at or after {@code fromRevision}. */
    CompletableFuture<Void> waitDelete(byte[] key, long fromRevision, Cancellation cancel) {
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        WatchRequest request = WatchRequest.of(KeyRange.single(key)).fromRevision(fromRevision);
        try {
            checkWatch(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        KeyWatches.Watch w = watches.watch(request,
            new KeyWatches.Listener() {
                @Override
                public void events(List<Event> events, long revision) {
                    if (events.stream().anyMatch(e -> e.type() == Event.Type.DELETE)) {
                        deleted.complete(null);
                    }
                }

                @Override
                public void ended(long compactRevision) {
                    deleted.completeExceptionally(compactRevision > 0 ? ErrorTable.EtcdError.COMPACTED.exception()
                        : new IllegalStateException("lost watcher waiting for delete"));
                }
            });
        cancel.onCancel(() -> deleted.completeExceptionally(Cancellation.canceled()));
        return deleted.whenComplete((x, err) -> w.cancel());
    }

    /** Every key under {@code prefix} (clientv3's {@code WithPrefix}). */
    public static RangeRequest prefixRange(byte[] prefix) {
        byte[] end = Keys.prefixEnd(prefix);
        return RangeRequest.of(prefix, end == null ? new byte[] {0} : end);
    }

    /** clientv3's {@code WithFirstCreate}: the oldest key under {@code prefix}. */
    public static RangeRequest firstCreated(byte[] prefix) {
        return prefixRange(prefix).withSort(RangeRequest.SortOrder.ASCEND, RangeRequest.SortTarget.CREATE)
            .withLimit(1);
    }

    /** {@code create_revision(key) == rev}. */
    static Compare createRevisionIs(byte[] key, long rev) {
        return Compare.newBuilder().setKey(ByteString.copyFrom(key)).setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(rev).build();
    }

    static RequestOp putOp(byte[] key, byte[] value, long lease) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFrom(key))
            .setValue(ByteString.copyFrom(value)).setLease(lease)).build();
    }

    static RequestOp rangeOp(RangeRequest r) {
        var b = io.cairn.api.etcdserverpb.RangeRequest.newBuilder().setKey(ByteString.copyFrom(r.key()))
            .setRangeEnd(ByteString.copyFrom(r.rangeEnd())).setLimit(r.limit())
            .setSortOrderValue(r.sortOrder().number()).setSortTargetValue(r.sortTarget().number());
        return RequestOp.newBuilder().setRequestRange(b).build();
    }

    static RequestOp deleteOp(byte[] key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
            .setKey(ByteString.copyFrom(key))).build();
    }

    /** Go's {@code fmt.Sprintf("%x", leaseID)} for a signed 64-bit ID. */
    static String hex(long id) {
        return id < 0 ? "-" + Long.toHexString(-id) : Long.toHexString(id);
    }
}
