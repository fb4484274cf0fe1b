package io.cairn.server.concurrency;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The end of a client's interest in a request (Go's {@code ctx.Done()}): the gRPC call was canceled or its stream
 * closed. Waits stop when it fires; the lock and election services then clean up as etcd's do. Thread-safe.
 */
public final class Cancellation {
    private final CompletableFuture<Void> fired = new CompletableFuture<>();

    /** Fires; idempotent. */
    public void cancel() {
        fired.complete(null);
    }

    public boolean isCanceled() {
        return fired.isDone();
    }

    /** Runs {@code action} when this fires (at once if it has). */
    public void onCancel(Runnable action) {
        fired.thenRun(action);
    }

    /** Go's {@code context.Canceled}, as gRPC reports it. */
    static CancellationException canceled() {
        return new CancellationException("context canceled");
    }
}
