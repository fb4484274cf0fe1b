package io.cairn.server.consensus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Requests waiting for their raft entry to be applied, by request ID (etcd's {@code wait.Wait}). The proposer
 * registers before proposing, with the deadline of the request; the applier triggers with the result (or the
 * exception to fail with) when it applies the entry carrying the ID, and {@link #expire} fails the requests whose
 * deadline passed. Entries proposed by another member, or replayed at restart, have no waiter and trigger nothing.
 *
 * <p>Deadlines are swept, not timed one by one: a timer per request (a {@code CompletableFuture.orTimeout}) costs
 * a scheduled task, a shared queue insertion and a removal on every write, while one sweep over the waiting
 * requests every few milliseconds costs nothing per write. Thread-safe.
 */
public final class Wait {
    /** A waiting request's future and its deadline on the caller's nanosecond clock. */
    private static final class Pending extends CompletableFuture<Object> {
        private final long deadlineNanos;

        Pending(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ConcurrentMap<Long, Pending> waiting = new ConcurrentHashMap<>();

    /**
     * A future completed by {@link #trigger}, or failed by the first {@link #expire} at or after
     * {@code deadlineNanos} (same clock as {@code expire}'s {@code nowNanos}); registering an ID twice is a bug.
     */
    public CompletableFuture<Object> register(long id, long deadlineNanos) {
        Pending f = new Pending(deadlineNanos);
        if (waiting.putIfAbsent(id, f) != null) {
            throw new IllegalStateException("request id " + Long.toHexString(id) + " is already waiting");
        }
        return f;
    }

    /** Completes the waiter of {@code id}, if any: with {@code result}, or exceptionally when it is a Throwable. */
    public void trigger(long id, Object result) {
        CompletableFuture<Object> f = waiting.remove(id);
        if (f == null) {
            return;
        }
        if (result instanceof Throwable t) {
            f.completeExceptionally(t);
        } else {
            f.complete(result);
        }
    }

    /**
     * Fails every request whose deadline is at or before {@code nowNanos} with an error from {@code error} (asked
     * once per expired request, when it expires); a later trigger for it finds nothing. Returns how many expired.
     */
    public int expire(long nowNanos, Supplier<? extends Throwable> error) {
        int expired = 0;
        for (Map.Entry<Long, Pending> e : waiting.entrySet()) {
            Pending f = e.getValue();
            if (nowNanos - f.deadlineNanos >= 0 && waiting.remove(e.getKey(), f)) {
                f.completeExceptionally(error.get());
                expired++;
            }
        }
        return expired;
    }

    /** Fails every waiter with {@code error} (the member is stopping). */
    public void failAll(Throwable error) {
        for (Long id : waiting.keySet()) {
            trigger(id, error);
        }
    }

    public boolean isWaiting(long id) {
        return waiting.containsKey(id);
    }

    public int size() {
        return waiting.size();
    }
}
