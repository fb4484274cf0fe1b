package io.cairn.server.rpc;

import com.google.protobuf.MessageLite;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.CompactionResponse;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.mvcc.op.RequestChecks;
import io.cairn.mvcc.quota.QuotaCost;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.server.Applier;
import io.cairn.server.Member;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthException;
import io.cairn.server.auth.AuthInfo;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * etcd's {@code KV} service (v3rpc/key.go): validates each request as etcd's gRPC layer does
 * ({@link RequestChecks} with {@code --max-txn-ops}, {@code --max-request-bytes}) and the quota guard admits writes;
 * writes are proposed to raft as {@code InternalRaftRequest}s and answered when applied; ranges and read-only
 * transactions are served locally, after a raft read-index round unless {@code serializable}. Answers carry etcd's
 * header. With authentication on, a read is checked here against the caller's permissions; a write carries the
 * caller's user and auth revision to the applier, which checks it as of its entry.
 */
public final class KvService extends KVGrpc.KVImplBase {
    private final Member member;
    private final RequestChecks checks;
    private final int maxRequestBytes;

    public KvService(Member member) {
        this.member = member;
        this.checks = new RequestChecks(member.config().maxTxnOps());
        this.maxRequestBytes = member.config().maxRequestBytes();
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        Replies.later(out, () -> {
            var r = KvCodec.range(request);
            checks.check(r);
            AuthInfo caller = caller();
            return read(request.getSerializable(), caller, () -> {
                member.auth().checks().checkRange(caller, r);
                if (!member.guard().beforeApply(RequestKind.RANGE, 0).proceeds()) {
                    throw ErrorTable.EtcdError.CORRUPT.exception();
                }
                return member.metrics().mvcc().range(r, member.applier().ops().range(r));
            });
        }, resp -> KvCodec.range(resp, member.header(resp.revision())));
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        Replies.later(out, () -> {
            requireSize(request);
            var r = KvCodec.put(request);
            checks.check(r);
            return write(RequestKind.PUT, QuotaCost.put(r.key().length, r.value().length),
                InternalRaftRequest.newBuilder().setPut(request), io.cairn.mvcc.op.PutResponse.class, caller());
        }, resp -> KvCodec.put(resp, member.header(resp.revision())));
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        Replies.later(out, () -> {
            requireSize(request);
            checks.check(KvCodec.deleteRange(request));
            return write(RequestKind.DELETE_RANGE, 0, InternalRaftRequest.newBuilder().setDeleteRange(request),
                io.cairn.mvcc.op.DeleteRangeResponse.class, caller());
        }, resp -> KvCodec.deleteRange(resp, member.header(resp.revision())));
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        Replies.later(out, () -> {
            requireSize(request);
            var r = KvCodec.txn(request);
            checks.check(r);
            AuthInfo caller = caller();
            if (r.isReadOnly()) {
                return read(allSerializable(request), caller, () -> {
                    member.auth().checks().checkTxn(caller, r);
                    if (!member.guard().beforeApply(RequestKind.TXN, 0).proceeds()) {
                        throw ErrorTable.EtcdError.CORRUPT.exception();
                    }
                    return member.applier().ops().txn(r);
                });
            }
            return write(RequestKind.TXN, Applier.txnCost(r), InternalRaftRequest.newBuilder().setTxn(request),
                io.cairn.mvcc.op.TxnResponse.class, caller);
        }, resp -> KvCodec.txn(resp, member.header(resp.revision())));
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        Replies.later(out, () -> {
            Admission.admit(member, RequestKind.COMPACTION, 0);
            return member.propose(Auth.as(caller(), InternalRaftRequest.newBuilder().setCompaction(request)))
                .thenApply(Applier.ScheduledCompaction.class::cast)
                .thenCompose(s -> request.getPhysical() ? s.done().thenApply(x -> s.currentRevision())
                    : CompletableFuture.completedFuture(s.currentRevision()));
        }, rev -> CompactionResponse.newBuilder().setHeader(member.header(rev)).build());
    }

    /** etcd's txn: linearizable unless every range in it (both branches) asks to be serializable. */
    private static boolean allSerializable(TxnRequest t) {
        for (var branch : List.of(t.getSuccessList(), t.getFailureList())) {
            for (var op : branch) {
                if (!op.hasRequestRange() || !op.getRequestRange().getSerializable()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Who the caller is (etcd's AuthInfoFromCtx): fails at once for an invalid token. */
    private AuthInfo caller() {
        return member.auth().identifyOrNone(Callers.current());
    }

    /**
     * A read on this member (etcd's {@code doSerialize}): {@code read} checks permissions itself; when the auth
     * store moved past the caller's credentials meanwhile, the answer is withheld ("revision of auth store is
     * old").
     */
    private <T> CompletableFuture<T> read(boolean serializable, AuthInfo caller, Supplier<T> read) {
        Executor executor = BlockingWork.executor();
        Supplier<T> checked = () -> {
            T result = read.get();
            if (caller.revision() != 0 && caller.revision() != member.auth().store().revision()) {
                throw AuthException.Reason.AUTH_OLD_REVISION.exception();
            }
            return result;
        };
        if (serializable) {
            return CompletableFuture.supplyAsync(checked, executor);
        }
        return member.linearizableRead().thenApplyAsync(x -> checked.get(), executor);
    }

    /** Admits and proposes a write as {@code caller}; permissions are checked when it is applied. */
    private <T> CompletableFuture<T> write(RequestKind kind, long cost, InternalRaftRequest.Builder request,
        Class<T> result, AuthInfo caller) {
        Admission.admit(member, kind, cost);
        return member.propose(Auth.as(caller, request)).thenApply(result::cast);
    }

    /** etcd refuses a proposal whose encoding exceeds {@code --max-request-bytes}. */
    private void requireSize(MessageLite request) {
        if (request.getSerializedSize() > maxRequestBytes) {
            throw ErrorTable.EtcdError.REQUEST_TOO_LARGE.exception();
        }
    }
}
