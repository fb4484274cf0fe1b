package io.cairn.server.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The applied raft index and the futures waiting for it to reach a value (etcd's {@code wait.WaitTime} used by
 * linearizable reads). The applier {@link #advance}s it; readers {@link #await} an index. Thread-safe.
 */
public final class AppliedIndex {
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private volatile long applied;

    public AppliedIndex(long initial) {
        this.applied = initial;
    }

    public long get() {
        return applied;
    }

    /** Completes when the applied index is at least {@code index} (at once if it is already). */
    public CompletableFuture<Void> await(long index) {
        if (applied >= index) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (waiters) {
            if (applied >= index) {
                return CompletableFuture.completedFuture(null);
            }
            waiters.computeIfAbsent(index, i -> new ArrayList<>()).add(f);
        }
        return f;
    }

    /** Moves the applied index to {@code index} and releases the waiters it satisfies, on this thread. */
    public void advance(long index) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            applied = index;
            Map<Long, List<CompletableFuture<Void>>> due = waiters.headMap(index, true);
            due.values().forEach(ready::addAll);
            due.clear();
        }
        ready.forEach(f -> f.complete(null));
    }

    /** Fails every waiter (the member is stopping). */
    public void failAll(Throwable error) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (waiters) {
            waiters.values().forEach(all::addAll);
            waiters.clear();
        }
        all.forEach(f -> f.completeExceptionally(error));
    }
}
