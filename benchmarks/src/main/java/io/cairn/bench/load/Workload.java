package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Turns a ticket (request number in {@code [0, total)}) into one asynchronous etcd request. */
public interface Workload {
    /**
     * Starts request {@code ticket} on {@code channel}. {@code done} is called exactly once, on a gRPC thread, with
     * {@link Status#OK} or the call's failure; a request that cannot even start throws instead.
     */
    void start(long ticket, Channel channel, Consumer<Status> done);

    /** The workload of a put, range or txn-put run (watch-latency has its own driver, {@link WatchLatency}). */
    static Workload of(LoadOptions options) {
        Duration timeout = options.client().requestTimeout();
        return switch (options.command()) {
            case PUT -> new PutWorkload(options.keys(), timeout);
            case RANGE -> new RangeWorkload(options.range().orElseThrow(), timeout);
            case TXN_PUT -> new TxnPutWorkload(options.keys(), options.txnOps(), timeout);
            case WATCH_LATENCY -> throw new IllegalArgumentException("watch-latency is not a request workload");
        };
    }

    /** An async KV stub on {@code channel}, with a deadline when {@code timeout} is not zero. */
    static KVGrpc.KVStub kv(Channel channel, Duration timeout) {
        KVGrpc.KVStub stub = KVGrpc.newStub(channel);
        return timeout.isZero() ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * etcd's benchmark uses one random value for every request ({@code mustRandBytes(valSize)}); a fixed seed keeps
     * runs comparable.
     */
    static ByteString value(int sizeBytes) {
        byte[] v = new byte[sizeBytes];
        new Random(sizeBytes).nextBytes(v);
        return ByteString.copyFrom(v);
    }

    /** Adapts a unary call's observer to {@code done}: the response itself is not needed. */
    final class Completion<T> implements StreamObserver<T> {
        private final Consumer<Status> done;

        Completion(Consumer<Status> done) {
            this.done = done;
        }

        @Override
        public void onNext(T response) {
        }

        @Override
        public void onError(Throwable t) {
            done.accept(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            done.accept(Status.OK);
        }
    }
}
