package io.cairn.server.rpc;

import com.google.protobuf.MessageLite;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.CompactionResponse;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.mvcc.op.RequestChecks;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.server.Member;
import io.grpc.stub.StreamObserver;

/**
 * etcd's {@code KV} service (v3rpc/key.go): validates each request as etcd's gRPC layer does
 * ({@link RequestChecks} with {@code --max-txn-ops}, {@code --max-request-bytes}), then reads on the calling thread
 * or hands the write to the member's apply thread, and answers with etcd's header.
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
        Replies.now(out, () -> {
            var r = KvCodec.range(request);
            checks.check(r);
            if (!member.guard().beforeApply(RequestKind.RANGE, 0).proceeds()) {
                throw ErrorTable.EtcdError.CORRUPT.exception();
            }
            var resp = member.applier().ops().range(r);
            return KvCodec.range(resp, member.header(resp.revision()));
        });
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        Replies.later(out, () -> {
            requireSize(request);
            var r = KvCodec.put(request);
            checks.check(r);
            return member.applier().put(r);
        }, resp -> KvCodec.put(resp, member.header(resp.revision())));
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        Replies.later(out, () -> {
            requireSize(request);
            var r = KvCodec.deleteRange(request);
            checks.check(r);
            return member.applier().deleteRange(r);
        }, resp -> KvCodec.deleteRange(resp, member.header(resp.revision())));
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        Replies.later(out, () -> {
            requireSize(request);
            var r = KvCodec.txn(request);
            checks.check(r);
            return member.applier().txn(r);
        }, resp -> KvCodec.txn(resp, member.header(resp.revision())));
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        Replies.later(out, () -> member.applier().compact(request.getRevision(), request.getPhysical()),
            rev -> CompactionResponse.newBuilder().setHeader(member.header(rev)).build());
    }

    /** etcd refuses a proposal whose encoding exceeds {@code --max-request-bytes}. */
    private void requireSize(MessageLite request) {
        if (request.getSerializedSize() > maxRequestBytes) {
            throw ErrorTable.EtcdError.REQUEST_TOO_LARGE.exception();
        }
    }
}
