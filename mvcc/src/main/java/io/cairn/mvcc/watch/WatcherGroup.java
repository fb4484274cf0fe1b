package io.cairn.mvcc.watch;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of watchers indexed for event matching (etcd's {@code watcherGroup}): single-key watchers by key, range
 * watchers by their distinct range. Matching an event costs one hash lookup plus one containment test per
 * distinct range (etcd uses an interval tree; distinct ranges are few in practice: prefixes per resource type).
 * Iteration order is insertion order, so sync rounds serve the longest-waiting watchers first.
 * Not thread-safe: guarded by the store's {@code mu}.
 */
final class WatcherGroup {
    private final Map<ByteBuffer, Set<Watcher>> byKey = new HashMap<>();
    private final Map<KeyRange, Set<Watcher>> byRange = new LinkedHashMap<>();
    private final Set<Watcher> all = new LinkedHashSet<>();

    void add(Watcher w) {
        if (!all.add(w)) {
            throw new IllegalStateException("watch: watcher added twice to a group: " + w);
        }
        if (w.range.isSingle()) {
            byKey.computeIfAbsent(ByteBuffer.wrap(w.range.key()), k -> new LinkedHashSet<>()).add(w);
        } else {
            byRange.computeIfAbsent(w.range, k -> new LinkedHashSet<>()).add(w);
        }
    }

    /** Removes {@code w}; false when it was not in the group. */
    boolean remove(Watcher w) {
        if (!all.remove(w)) {
            return false;
        }
        if (w.range.isSingle()) {
            removeFrom(byKey, ByteBuffer.wrap(w.range.key()), w);
        } else {
            removeFrom(byRange, w.range, w);
        }
        return true;
    }

    private static <K> void removeFrom(Map<K, Set<Watcher>> index, K key, Watcher w) {
        Set<Watcher> set = index.get(key);
        if (set == null || !set.remove(w)) {
            throw new IllegalStateException("watch: watcher missing from its group index: " + w);
        }
        if (set.isEmpty()) {
            index.remove(key);
        }
    }

    boolean contains(Watcher w) {
        return all.contains(w);
    }

    int size() {
        return all.size();
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    /** The first {@code max} watchers in insertion order. */
    List<Watcher> first(int max) {
        List<Watcher> out = new ArrayList<>(Math.min(max, all.size()));
        for (Watcher w : all) {
            if (out.size() == max) {
                break;
            }
            out.add(w);
        }
        return out;
    }

    /**
     * The events of {@code events} each watcher of the group wants: key in its range and revision at or above its
     * minRev, in the given order. Watchers with no such event are absent.
     */
    Map<Watcher, List<Event>> match(List<Event> events) {
        Map<Watcher, List<Event>> out = new LinkedHashMap<>();
        for (Event e : events) {
            byte[] key = e.kv().key();
            Set<Watcher> exact = byKey.get(ByteBuffer.wrap(key));
            if (exact != null) {
                addTo(out, exact, e);
            }
            for (Map.Entry<KeyRange, Set<Watcher>> r : byRange.entrySet()) {
                if (r.getKey().contains(key)) {
                    addTo(out, r.getValue(), e);
                }
            }
        }
        return out;
    }

    private static void addTo(Map<Watcher, List<Event>> out, Set<Watcher> watchers, Event e) {
        long rev = e.kv().modRevision();
        for (Watcher w : watchers) {
            if (rev >= w.minRev) {
                out.computeIfAbsent(w, k -> new ArrayList<>()).add(e);
            }
        }
    }
}
