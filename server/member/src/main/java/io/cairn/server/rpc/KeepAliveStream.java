package io.cairn.server.rpc;

import io.cairn.server.auth.Credentials;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code LeaseKeepAlive} stream (etcd's {@code leaseKeepAlive} loop): requests are answered one at a time in
 * the order they arrive, each after the previous answer was sent. The first failure other than "lease not found"
 * (which is TTL 0) ends the stream with its etcd error, as etcd returns it from the loop; the client's half-close
 * ends it normally once every answer is sent. Thread-safe: the chain orders every call to {@code out}.
 */
final class KeepAliveStream implements StreamObserver<LeaseKeepAliveRequest> {
    private final LeaseService lease;
    private final StreamObserver<LeaseKeepAliveResponse> out;
    private final Credentials credentials;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private boolean ended;

    /** @param credentials what the client presented when it opened the stream; each keep-alive acts with them */
    KeepAliveStream(LeaseService lease, StreamObserver<LeaseKeepAliveResponse> out, Credentials credentials) {
        this.lease = lease;
        this.out = out;
        this.credentials = credentials;
    }

    @Override
    public synchronized void onNext(LeaseKeepAliveRequest request) {
        tail = tail.thenCompose(x -> {
            if (isEnded()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<LeaseKeepAliveResponse> answer;
            try {
                answer = lease.keepAlive(request, credentials);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            return answer.handle((resp, err) -> {
                if (err != null) {
                    fail(err);
                } else if (!isEnded()) {
                    out.onNext(resp);
                }
                return null;
            });
        });
    }

    @Override
    public synchronized void onError(Throwable t) {
        // the client went away: nothing more is sent
        tail = tail.thenRun(this::end);
    }

    @Override
    public synchronized void onCompleted() {
        tail = tail.thenRun(() -> {
            if (!isEnded()) {
                end();
                out.onCompleted();
            }
        });
    }

    private void fail(Throwable err) {
        if (!isEnded()) {
            end();
            out.onError(ErrorTable.toStatus(err).asRuntimeException());
        }
    }

    private synchronized boolean isEnded() {
        return ended;
    }

    private synchronized void end() {
        ended = true;
    }
}
