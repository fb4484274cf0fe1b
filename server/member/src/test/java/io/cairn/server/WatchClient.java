package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.WatchCancelRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchProgressRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One raw etcd watch stream over gRPC (grpc-java's client with the generated stubs), for what jetcd cannot show:
 * several watchers on one stream, client-chosen ids, fragments, manual flow control. Responses are queued as they
 * arrive; {@link #next()} waits for one with a bound.
 */
final class WatchClient implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;

    private final BlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private final StreamObserver<WatchRequest> requests;
    private volatile ClientCallStreamObserver<WatchRequest> call;
    private final ManagedChannel channel;

    /**
     * @param initialDemand responses the client takes before {@link #request} asks for more; -1: all, as sent.
     *     grpc-java's client keeps what it has not taken in its HTTP/2 window, so a server sees a slow reader.
     */
    WatchClient(String endpoint, int initialDemand) {
        URI uri = URI.create(endpoint);
        channel = ManagedChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE).build();
        requests = WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> c) {
                call = c;
                if (initialDemand >= 0) {
                    c.disableAutoRequestWithInitial(initialDemand);
                }
            }

            @Override
            public void onNext(WatchResponse r) {
                received.add(r);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
    }

    WatchClient(String endpoint) {
        this(endpoint, -1);
    }

    static ByteString bs(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    static WatchCreateRequest.Builder key(String key) {
        return WatchCreateRequest.newBuilder().setKey(bs(key));
    }

    void create(WatchCreateRequest.Builder create) {
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
    }

    void cancel(long watchId) {
        requests.onNext(WatchRequest.newBuilder()
            .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
    }

    void requestProgress() {
        requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance())
            .build());
    }

    /** Creates a watcher and returns its created response. */
    WatchResponse created(WatchCreateRequest.Builder create) throws InterruptedException {
        create(create);
        WatchResponse r = next();
        assertThat(r.getCreated()).as("created response: %s", r).isTrue();
        return r;
    }

    /** The next response; fails when none arrives within the bound. */
    WatchResponse next() throws InterruptedException {
        WatchResponse r = received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(r).as("a watch response within %ss (stream ended: %s)", TIMEOUT_SECONDS,
            ended.getNow(null)).isNotNull();
        return r;
    }

    /** Lets the server send {@code n} more responses (with an initial demand given). */
    void request(int n) {
        call.request(n);
    }

    int queued() {
        return received.size();
    }

    @Override
    public void close() {
        call.cancel("test done", null);
        channel.shutdownNow();
    }

    /** A blocking KV stub for writes in watch tests. */
    static KVGrpc.KVBlockingStub kv(String endpoint) {
        return GrpcClients.builder(endpoint).build(KVGrpc.KVBlockingStub.class);
    }

    /** Puts one key; returns the revision of the put. */
    static long put(KVGrpc.KVBlockingStub kv, String key, String value) {
        PutRequest put = PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
        return kv.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS).put(put).getHeader().getRevision();
    }

    /** Waits, checking every few milliseconds, until {@code condition} holds; fails after the bound. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("%s within %ss", what, TIMEOUT_SECONDS).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
