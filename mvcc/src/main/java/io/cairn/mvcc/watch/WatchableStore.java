package io.cairn.mvcc.watch;

import io.cairn.mvcc.ChangeListener;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KvStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watchers over a {@link KvStore} (etcd's {@code watchableStore}); see the package documentation for the groups
 * and the guarantees. Registers itself as the store's {@link ChangeListener}. Background work is three step
 * methods the server schedules: {@link #syncWatchers()} (etcd: every 100 ms while watchers are unsynced),
 * {@link #syncVictims()} (etcd: every 10 ms while there are victims) and {@link #notifyProgress()} (every
 * {@link WatchConfig#progressNotifyInterval()}).
 *
 * <p>Thread-safe. Lock order: the store's write lock, then {@code mu} (this object's state and every watcher's),
 * then a stream's buffer monitor. {@code mu} is never held while calling into the store's write path, so the
 * change listener, which runs under the write lock, can always take it. A write waits for {@code mu} at most for
 * one bounded sync round, never for a slow consumer: full buffers turn watchers into victims instead.
 */
public final class WatchableStore implements AutoCloseable {
    private final KvStore kv;
    private final WatchConfig config;
    final ReentrantLock mu = new ReentrantLock();
    private final WatcherGroup synced = new WatcherGroup();
    private final WatcherGroup unsynced = new WatcherGroup();
    private final Set<Watcher> victims = new LinkedHashSet<>();
    private final Set<WatchStream> streams = new LinkedHashSet<>();
    private final Set<WatchStream> deferredProgress = new LinkedHashSet<>();
    /**
     * The last revision the change listener announced (or the store's at open and at {@link #restore()}): the
     * revision watchers are served up to. Runs one ahead of the store's current revision while a write is
     * announced, and behind it between a {@link KvStore#reload()} and {@link #restore()}.
     */
    private long notifiedRev;
    private boolean closed;

    private WatchableStore(KvStore kv, WatchConfig config) {
        this.kv = kv;
        this.config = config;
    }

    /** Wraps {@code kv} and becomes its change listener. Call before writes start. */
    public static WatchableStore open(KvStore kv, WatchConfig config) {
        WatchableStore s = new WatchableStore(kv, config);
        s.notifiedRev = kv.currentRevision();
        kv.setListener(s::committed);
        return s;
    }

    public WatchConfig config() {
        return config;
    }

    /**
     * A new stream (one per client gRPC stream).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public WatchStream newStream() {
        mu.lock();
        try {
            if (closed) {
                throw new IllegalStateException("watch: the watchable store is closed");
            }
            WatchStream s = new WatchStream(this, new SendQueue(config));
            streams.add(s);
            return s;
        } finally {
            mu.unlock();
        }
    }

    /**
     * The newest revision watchers can be served: the store's, or the one being announced right now (after a
     * store reload, the old one until {@link #restore()}).
     */
    public long currentRevision() {
        mu.lock();
        try {
            return currentRev();
        } finally {
            mu.unlock();
        }
    }

    /**
     * Caller holds mu. The announced revision, never the store's own: the listener runs before the store moves its
     * revision, and after a reload the store is ahead of what watchers were given until {@link #restore()} (a
     * progress response at the new revision before its events would break the progress guarantee).
     */
    long currentRev() {
        return notifiedRev;
    }

    /**
     * Regroups the watchers after {@link KvStore#reload()} replaced the store's contents (etcd's
     * {@code watchableStore.Restore}): every synced watcher becomes unsynced with its minRev kept, so the
     * {@link #syncWatchers()} rounds catch it up from the new contents, from exactly the revision it needs (events
     * of the new contents at or above it, a compacted response when the new contents are compacted past it).
     * Nothing is sent twice: minRev only moves forward. Victims stay victims (delivering their batch sends them
     * to the catch-up as usual). A watcher whose minRev is above the new current revision needs nothing the new
     * contents hold (the snapshot brought no new revision) and stays, or becomes, synced, as the groups'
     * invariants require; etcd parks it unsynced and its next round sets minRev to the current revision + 1, the
     * same thing on a raft member, whose revisions never go back.
     *
     * <p>Who and when: the apply thread, right after {@code KvStore.reload()} and before the next write (whose
     * announcement must follow the new current revision). Thread-safe: takes {@code mu}, so sync rounds, streams
     * and progress see the groups before or after, and until then serve the old revision ({@link #currentRev()}).
     */
    public void restore() {
        mu.lock();
        try {
            long cur = kv.currentRevision();
            notifiedRev = cur;
            for (Watcher w : synced.first(Integer.MAX_VALUE)) {
                if (w.minRev <= cur) {
                    synced.remove(w);
                    w.state = Watcher.State.UNSYNCED;
                    unsynced.add(w);
                }
            }
            for (Watcher w : unsynced.first(Integer.MAX_VALUE)) {
                if (w.minRev > cur) {
                    unsynced.remove(w);
                    w.state = Watcher.State.SYNCED;
                    synced.add(w);
                }
            }
        } finally {
            mu.unlock();
        }
    }

    /** Caller holds mu: adds a watcher to synced or unsynced (etcd's {@code watch}) after its created response. */
    Watcher register(WatchStream stream, long id, WatchRequest req) {
        long cur = currentRev();
        long start = req.startRevision();
        Watcher w = new Watcher(stream, id, req);
        stream.queue.addControl(WatchResponse.created(id, cur));
        if (start == 0 || start > cur) {
            w.minRev = Math.max(cur + 1, start);
            w.state = Watcher.State.SYNCED;
            synced.add(w);
        } else {
            w.minRev = start;
            w.state = Watcher.State.UNSYNCED;
            unsynced.add(w);
        }
        return w;
    }

    /** Caller holds mu: takes {@code w} out of every group (etcd's {@code cancelWatcher}). */
    void unregister(Watcher w) {
        switch (w.state) {
            case SYNCED -> check(synced.remove(w), "synced watcher not in the synced group: %s", w);
            case UNSYNCED -> check(unsynced.remove(w), "unsynced watcher not in the unsynced group: %s", w);
            case VICTIM -> check(victims.remove(w), "victim not in the victim set: %s", w);
            case COMPACTED, CANCELED -> {
            }
            default -> throw new IllegalStateException("watch: unknown state " + w.state);
        }
        w.pending = null;
        w.state = Watcher.State.CANCELED;
    }

    /** Caller holds mu. */
    void streamClosed(WatchStream s) {
        streams.remove(s);
        deferredProgress.remove(s);
    }

    /**
     * The change listener: runs under the store's write lock, after the revision's writes are readable and before
     * the store's current revision moves to it; only buffers, never waits for a consumer.
     */
    void committed(long rev, List<Event> events) {
        mu.lock();
        try {
            check(rev > notifiedRev, "notified revision %s after %s", rev, notifiedRev);
            notifiedRev = rev;
            if (synced.isEmpty()) {
                return;
            }
            for (Map.Entry<Watcher, List<Event>> e : synced.match(events).entrySet()) {
                Watcher w = e.getKey();
                w.minRev = rev + 1;
                List<Event> wanted = w.filter(e.getValue());
                if (!wanted.isEmpty()) {
                    WatchResponse r = WatchResponse.events(w.id, wanted, rev, w.prevKv);
                    if (!offer(w, r)) {
                        synced.remove(w);
                        becomeVictim(w, r);
                    }
                }
            }
        } finally {
            mu.unlock();
        }
    }

    /** Caller holds mu. */
    private boolean offer(Watcher w, WatchResponse r) {
        if (!w.stream.queue.offerEvents(r)) {
            return false;
        }
        w.progressIdle = false;
        return true;
    }

    private void becomeVictim(Watcher w, WatchResponse r) {
        w.state = Watcher.State.VICTIM;
        w.pending = r;
        victims.add(w);
    }

    /**
     * One catch-up round (etcd's {@code syncWatchers}): takes up to {@link WatchConfig#maxWatchersPerSync()}
     * unsynced watchers, cancels those below the compacted revision, reads at most
     * {@link WatchConfig#syncBatchRevisions()} revisions from the lowest minRev among the rest, and hands each its
     * events; watchers that reach the current revision become synced, those whose buffer is full become victims.
     *
     * @return the number of watchers still unsynced
     */
    public int syncWatchers() {
        mu.lock();
        try {
            if (unsynced.isEmpty()) {
                return 0;
            }
            long curRev = currentRev();
            long compactRev = kv.compactedRevision();
            WatcherGroup live = new WatcherGroup();
            long minRev = Long.MAX_VALUE;
            for (Watcher w : unsynced.first(config.maxWatchersPerSync())) {
                check(w.minRev <= curRev, "unsynced %s ahead of current revision %s", w, curRev);
                if (w.minRev < compactRev) {
                    cancelCompacted(w, compactRev);
                } else {
                    live.add(w);
                    minRev = Math.min(minRev, w.minRev);
                }
            }
            if (!live.isEmpty()) {
                catchUp(live, minRev, curRev);
            }
            retryDeferredProgress();
            return unsynced.size();
        } finally {
            mu.unlock();
        }
    }

    private void catchUp(WatcherGroup live, long minRev, long curRev) {
        int maxRevs = config.syncBatchRevisions();
        List<Event> history = kv.history(minRev, curRev, maxRevs);
        long readUpTo = distinctRevisions(history) == maxRevs ? lastRevision(history) : curRev;
        // A compaction scheduled during the read may have deleted revisions below its revision: etcd blocks
        // compaction for the round instead; cancelling the watchers it overtook gives the same answer.
        long compactRev = kv.compactedRevision();
        Map<Watcher, List<Event>> matched = live.match(history);
        for (Watcher w : live.first(Integer.MAX_VALUE)) {
            if (w.minRev < compactRev) {
                cancelCompacted(w, compactRev);
                continue;
            }
            if (w.minRev > readUpTo) {
                continue;
            }
            EventBatch batch = EventBatch.cut(matched.getOrDefault(w, List.of()), config.maxBufferedEvents());
            w.minRev = batch.moreRev() != 0 ? batch.moreRev() : readUpTo + 1;
            List<Event> wanted = w.filter(batch.events());
            if (!wanted.isEmpty()) {
                WatchResponse r = WatchResponse.events(w.id, wanted, curRev, w.prevKv);
                if (!offer(w, r)) {
                    unsynced.remove(w);
                    becomeVictim(w, r);
                    continue;
                }
            }
            unsynced.remove(w);
            if (w.minRev > curRev) {
                w.state = Watcher.State.SYNCED;
                synced.add(w);
            } else {
                unsynced.add(w); // to the back: the next round serves the others first
            }
        }
    }

    private static int distinctRevisions(List<Event> events) {
        int n = 0;
        long last = -1;
        for (Event e : events) {
            if (e.kv().modRevision() != last) {
                last = e.kv().modRevision();
                n++;
            }
        }
        return n;
    }

    private static long lastRevision(List<Event> events) {
        return events.get(events.size() - 1).kv().modRevision();
    }

    /** Caller holds mu: etcd's compacted response (watch id, compact revision, header revision 0). */
    private void cancelCompacted(Watcher w, long compactRev) {
        check(unsynced.remove(w), "compacted watcher not unsynced: %s", w);
        w.state = Watcher.State.COMPACTED;
        w.stream.queue.addControl(WatchResponse.compacted(w.id, compactRev));
    }

    /**
     * Retries the batches of victims (etcd's {@code moveVictims}); each delivered victim returns to unsynced, or
     * to synced when nothing happened since its batch. Also retries deferred progress requests.
     *
     * @return the number of victims delivered
     */
    public int syncVictims() {
        mu.lock();
        try {
            int moved = 0;
            long curRev = currentRev();
            Iterator<Watcher> it = victims.iterator();
            while (it.hasNext()) {
                Watcher w = it.next();
                // the watcher has seen the store up to, not including, minRev
                if (!offer(w, w.pending.withRevision(w.minRev - 1))) {
                    continue;
                }
                it.remove();
                w.pending = null;
                moved++;
                if (w.minRev <= curRev) {
                    w.state = Watcher.State.UNSYNCED;
                    unsynced.add(w);
                } else {
                    w.state = Watcher.State.SYNCED;
                    synced.add(w);
                }
            }
            retryDeferredProgress();
            return moved;
        } finally {
            mu.unlock();
        }
    }

    /**
     * The periodic progress tick (etcd's progress ticker in the server's send loop): each synced watcher created
     * with progress_notify that had no events buffered since the previous tick gets a progress response with its
     * own watch id and the current revision; a full buffer drops it, as etcd does.
     */
    public void notifyProgress() {
        mu.lock();
        try {
            long rev = currentRev();
            for (WatchStream s : streams) {
                for (Watcher w : s.watchers()) {
                    if (!w.progressNotify) {
                        continue;
                    }
                    if (w.progressIdle && w.state == Watcher.State.SYNCED) {
                        s.queue.offerProgress(WatchResponse.progress(w.id, rev));
                    }
                    w.progressIdle = true;
                }
            }
        } finally {
            mu.unlock();
        }
    }

    /**
     * Caller holds mu: etcd's {@code RequestProgressAll}. Sends a progress response (watch id -1, current revision)
     * when every live watcher of the stream is synced; otherwise, or when its buffer is full, remembers the request
     * and retries it after each sync step. A stream without watchers gets nothing, as in etcd.
     */
    void requestProgress(WatchStream s) {
        if (!sendProgressIfSynced(s)) {
            deferredProgress.add(s);
        }
    }

    private boolean sendProgressIfSynced(WatchStream s) {
        boolean any = false;
        for (Watcher w : s.watchers()) {
            if (w.state == Watcher.State.COMPACTED) {
                continue;
            }
            if (w.state != Watcher.State.SYNCED) {
                return false;
            }
            any = true;
        }
        return !any || s.queue.offerProgress(WatchResponse.progress(WatchStream.INVALID_ID, currentRev()));
    }

    /** Caller holds mu. */
    void retryDeferredProgress() {
        deferredProgress.removeIf(this::sendProgressIfSynced);
    }

    public int syncedCount() {
        return count(synced);
    }

    public int unsyncedCount() {
        return count(unsynced);
    }

    private int count(WatcherGroup g) {
        mu.lock();
        try {
            return g.size();
        } finally {
            mu.unlock();
        }
    }

    public int victimCount() {
        mu.lock();
        try {
            return victims.size();
        } finally {
            mu.unlock();
        }
    }

    /** Stops listening to the store and closes every stream. The store stays open: it belongs to the caller. */
    @Override
    public void close() {
        kv.setListener(ChangeListener.NONE);
        List<WatchStream> open;
        mu.lock();
        try {
            closed = true;
            open = new ArrayList<>(streams);
        } finally {
            mu.unlock();
        }
        for (WatchStream s : open) {
            s.close();
        }
    }

    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException("watch invariant broken: " + String.format(format, args));
        }
    }
}
