package io.cairn.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The in-memory index from user key to its {@link KeyIndex}, ordered bytewise unsigned (etcd's treeIndex).
 *
 * <p>Concurrency: the skip list is concurrent and each {@link KeyIndex} is guarded by its own monitor, so a long
 * range never blocks the writer. That is enough because readers ask for revisions at or below a revision that
 * was current when they started, the single writer only appends newer ones, and compaction only drops what no
 * read at or above the compacted revision can reach (reads below it are refused by the store).
 */
final class TreeIndex {
    private final ConcurrentSkipListMap<byte[], KeyIndex> tree = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    /** A key and the revision a read found for it. */
    record KeyRevision(byte[] key, Revision revision) {
    }

    /** Up to {@code limit} revisions of a range and how many keys matched in total. */
    record Revisions(List<KeyRevision> revisions, long total) {
    }

    KeyIndex.Hit get(byte[] key, long atRev) {
        KeyIndex ki = tree.get(key);
        if (ki == null) {
            return null;
        }
        synchronized (ki) {
            return ki.isEmpty() ? null : ki.get(atRev);
        }
    }

    /**
     * The newest revision at {@code atRev} of each key in {@code range}, in key order: at most {@code limit}
     * ({@code <= 0}: all), with the total count of matching keys.
     */
    Revisions revisions(KeyRange range, long atRev, long limit, boolean countOnly) {
        List<KeyRevision> out = new ArrayList<>();
        long[] total = {0};
        visit(range, atRev, (key, hit) -> {
            if (!countOnly && (limit <= 0 || out.size() < limit)) {
                out.add(new KeyRevision(key, hit.modified()));
            }
            total[0]++;
        });
        return new Revisions(out, total[0]);
    }

    private interface Visitor {
        void visit(byte[] key, KeyIndex.Hit hit);
    }

    private void visit(KeyRange range, long atRev, Visitor visitor) {
        if (range.isSingle()) {
            KeyIndex.Hit hit = get(range.key(), atRev);
            if (hit != null) {
                visitor.visit(range.key(), hit);
            }
            return;
        }
        for (KeyIndex ki : subMap(range).values()) {
            KeyIndex.Hit hit;
            synchronized (ki) {
                hit = ki.isEmpty() ? null : ki.get(atRev);
            }
            if (hit != null) {
                visitor.visit(ki.key, hit);
            }
        }
    }

    private ConcurrentNavigableMap<byte[], KeyIndex> subMap(KeyRange range) {
        if (range.isEmpty()) {
            return new ConcurrentSkipListMap<>();
        }
        return range.kind() == KeyRange.Kind.FROM ? tree.tailMap(range.key(), true)
            : tree.subMap(range.key(), true, range.end(), false);
    }

    /**
     * Records a put (the key index is created on first use) and returns what {@link #get}{@code (key, rev.main())}
     * returned just before it: the writer's read-then-put costs one descent of the skip list, not two.
     */
    KeyIndex.Hit put(byte[] key, Revision rev) {
        while (true) {
            KeyIndex ki = tree.computeIfAbsent(key, KeyIndex::new);
            synchronized (ki) {
                if (!ki.removed) {
                    KeyIndex.Hit before = ki.isEmpty() ? null : ki.get(rev.main());
                    ki.put(rev.main(), rev.sub());
                    return before;
                }
            }
        }
    }

    /** Records a delete; false when the key is not live. */
    boolean tombstone(byte[] key, Revision rev) {
        KeyIndex ki = tree.get(key);
        if (ki == null) {
            return false;
        }
        synchronized (ki) {
            return !ki.removed && !ki.isEmpty() && ki.tombstone(rev.main(), rev.sub());
        }
    }

    /** Rebuild step for a key seen for the first time while restoring (its earlier history was compacted). */
    void restore(byte[] key, Revision created, Revision modified, long version) {
        KeyIndex ki = new KeyIndex(key);
        ki.restore(created, modified, version);
        KeyIndex previous = tree.putIfAbsent(key, ki);
        Invariants.check(previous == null, "restore of existing key %s", ki);
    }

    /** Every change to keys in {@code range} at or after revision {@code rev}, ordered by revision. */
    List<KeyRevision> since(KeyRange range, long rev) {
        List<KeyRevision> out = new ArrayList<>();
        Consumer<KeyIndex> collect = ki -> {
            synchronized (ki) {
                if (!ki.isEmpty()) {
                    ki.since(rev).forEach(r -> out.add(new KeyRevision(ki.key, r)));
                }
            }
        };
        if (range.isSingle()) {
            KeyIndex ki = tree.get(range.key());
            if (ki != null) {
                collect.accept(ki);
            }
        } else {
            subMap(range).values().forEach(collect);
        }
        out.sort((a, b) -> a.revision().compareTo(b.revision()));
        return out;
    }

    /**
     * Compacts every key index at {@code rev}, removing the ones left empty; returns the revisions whose key
     * bucket entries must be kept.
     */
    Set<Revision> compact(long rev) {
        Set<Revision> available = new HashSet<>();
        for (Map.Entry<byte[], KeyIndex> e : tree.entrySet()) {
            KeyIndex ki = e.getValue();
            synchronized (ki) {
                if (ki.removed || ki.isEmpty()) {
                    continue;
                }
                ki.compact(rev, available);
                if (ki.isEmpty()) {
                    ki.removed = true;
                    tree.remove(e.getKey(), ki);
                }
            }
        }
        return available;
    }

    /** The revisions a compaction at {@code rev} would keep, changing nothing (for HashKV). */
    Set<Revision> keep(long rev) {
        Set<Revision> available = new HashSet<>();
        for (KeyIndex ki : tree.values()) {
            synchronized (ki) {
                ki.keep(rev, available);
            }
        }
        return available;
    }

    boolean contains(byte[] key) {
        return tree.containsKey(key);
    }

    /** Keys in the index (live or with history). */
    int size() {
        return tree.size();
    }

    /** Approximate heap bytes of the index. */
    long heapBytes() {
        long bytes = 0;
        for (KeyIndex ki : tree.values()) {
            synchronized (ki) {
                bytes += ki.heapBytes() + 40; // + skip list node and index levels, on average
            }
        }
        return bytes;
    }
}
