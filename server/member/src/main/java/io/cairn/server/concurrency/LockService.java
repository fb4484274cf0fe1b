package io.cairn.server.concurrency;

import io.cairn.api.v3lockpb.LockGrpc;
import io.cairn.api.v3lockpb.LockRequest;
import io.cairn.api.v3lockpb.LockResponse;
import io.cairn.api.v3lockpb.UnlockRequest;
import io.cairn.api.v3lockpb.UnlockResponse;
import io.cairn.server.rpc.Replies;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * etcd's {@code v3lockpb.Lock} service (v3lock/lock.go) in the server: Lock runs the {@link Mutex} recipe with the
 * request's lease (a lease of 0 makes the session grant a fresh 60 s lease that nobody keeps alive, as etcd's
 * session does) and answers once the lock is held, with the key that holds it; Unlock deletes that key. A client
 * that cancels a waiting Lock leaves the line (its key is deleted).
 */
public final class LockService extends LockGrpc.LockImplBase {
    private final MemberKv kv;

    public LockService(MemberKv kv) {
        this.kv = kv;
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> out) {
        Cancellation cancel = cancellation(out);
        Replies.later(out, () -> {
            MemberKv caller = kv.asCaller();
            return caller.session(request.getLease())
                .thenCompose(lease -> new Mutex(caller, request.getName().toByteArray(), lease, cancel).lock());
        }, r -> r);
    }

    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
        Replies.later(out, () -> kv.asCaller().delete(request.getKey().toByteArray()),
            d -> UnlockResponse.newBuilder().setHeader(kv.header(d.revision())).build());
    }

    /** Fires when the gRPC call is canceled (Go's request context); call during the RPC method only. */
    static Cancellation cancellation(StreamObserver<?> out) {
        Cancellation cancel = new Cancellation();
        if (out instanceof ServerCallStreamObserver<?> call) {
            call.setOnCancelHandler(cancel::cancel);
        }
        return cancel;
    }
}
