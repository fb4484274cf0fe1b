package io.cairn.server.consensus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Requests waiting for their raft entry to be applied, by request ID (etcd's {@code wait.Wait}). The proposer
 * registers before proposing; the applier triggers with the result (or the exception to fail with) when it applies
 * the entry carrying the ID. Entries proposed by another member, or replayed at restart, have no waiter and
 * trigger nothing. Thread-safe.
 */
public final class Wait {
    private final ConcurrentMap<Long, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();

    /** A future completed by {@link #trigger}; registering an ID twice is a bug. */
    public CompletableFuture<Object> register(long id) {
        CompletableFuture<Object> f = new CompletableFuture<>();
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

    /** Forgets {@code id} (its request timed out); a later trigger finds nothing. */
    public void cancel(long id) {
        waiting.remove(id);
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
