package io.cairn.server.rpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Completes a unary gRPC call from a result or a failure, the failure mapped by {@link ErrorTable}. */
public final class Replies {
    private Replies() {
    }

    /** Runs {@code call} now and answers with its result. */
    public static <T> void now(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            out.onError(ErrorTable.toStatus(e).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    /** Starts {@code call} now and answers when its future completes, mapping the result with {@code toProto}. */
    public static <R, T> void later(StreamObserver<T> out, Supplier<CompletableFuture<R>> call,
        Function<R, T> toProto) {
        CompletableFuture<R> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            out.onError(ErrorTable.toStatus(e).asRuntimeException());
            return;
        }
        f.whenComplete((r, err) -> {
            if (err != null) {
                out.onError(ErrorTable.toStatus(err).asRuntimeException());
                return;
            }
            T proto;
            try {
                proto = toProto.apply(r);
            } catch (RuntimeException e) {
                out.onError(ErrorTable.toStatus(e).asRuntimeException());
                return;
            }
            out.onNext(proto);
            out.onCompleted();
        });
    }
}
