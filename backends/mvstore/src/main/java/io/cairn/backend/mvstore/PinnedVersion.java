package io.cairn.backend.mvstore;

import io.cairn.backend.Bucket;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RootReference;

/**
 * The root of every bucket map as of one commit, and a registration of that store version with MVStore so the
 * chunks those roots reach are not reused while anyone reads them. MVMap pages are copy-on-write: a captured
 * {@link RootReference} keeps reading the same tree however the map changes later, provided its pages can still
 * be loaded, which is what the registration guarantees (MVStore frees a chunk only once it is dead in every
 * registered version).
 *
 * <p>Reference counted: the engine holds one reference while this is its newest version, each open view one more.
 * The registration is dropped when the count reaches zero, or forcibly when the engine closes; after that
 * {@link #retain()} fails and further releases do nothing.
 */
final class PinnedVersion {
    /** A map and its root at this version. */
    record Root(MVMap<byte[], byte[]> map, RootReference<byte[], byte[]> ref) {
    }

    /** Far below zero, so that releases after a forced unpin never bring the count back to zero. */
    private static final int FORCED = Integer.MIN_VALUE / 2;

    private final MVStore store;
    private final MVStore.TxCounter registration;
    private final NavigableMap<Bucket, Root> roots;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean unpinned = new AtomicBoolean();

    PinnedVersion(MVStore store, MVStore.TxCounter registration, NavigableMap<Bucket, Root> roots) {
        this.store = store;
        this.registration = registration;
        this.roots = roots;
    }

    /** Roots by bucket, in bucket order. Unmodifiable. */
    NavigableMap<Bucket, Root> roots() {
        return roots;
    }

    /** Takes a reference; false once the count has reached zero (the caller must pick a newer version). */
    boolean retain() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one unpins. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            unpin();
        }
    }

    /** Unpins now, whoever still holds references (engine close). */
    void forceUnpin() {
        refs.set(FORCED);
        unpin();
    }

    boolean isUnpinned() {
        return unpinned.get();
    }

    private void unpin() {
        if (unpinned.compareAndSet(false, true) && !store.isClosed()) {
            store.deregisterVersionUsage(registration);
        }
    }
}
