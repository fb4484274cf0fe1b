package io.cairn.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The revisions of one key, grouped in generations (etcd's keyIndex). Example: key "foo" put at 1.0, 2.0, deleted
 * at 3.0, put at 4.0, 5.0, deleted at 6.0:
 * <pre>
 *   generations:
 *     {empty}
 *     {4.0, 5.0, 6.0(t)}
 *     {1.0, 2.0, 3.0(t)}
 * </pre>
 * A generation ends with the tombstone; a new empty one is opened after it. Compaction at revision n keeps, per
 * generation, the largest revision &lt;= n and everything after it, and drops generations that ended before n. A
 * tombstone at exactly n is kept (etcd-io/etcd#18274) so a watcher starting at n still sees the delete; the next
 * compaction above it drops it:
 * <pre>
 *   compact(2): {1.0, 2.0, 3.0(t)} becomes {2.0, 3.0(t)}
 *   compact(4): generation 1 goes away: {4.0, 5.0, 6.0(t)}, {empty}
 *   compact(6): {6.0(t)}, {empty}: the tombstone at 6 stays
 *   compact(7): {empty}: the key index is empty and leaves the tree
 * </pre>
 * {@link #keep} still leaves a tombstone at n out, so HashKV values match etcd's.
 * Not thread-safe: {@link TreeIndex} synchronizes on the instance.
 */
final class KeyIndex {
    final byte[] key;
    /** The newest revision, kept as two longs rather than an object: this class is the index's per-key cost. */
    private long modifiedMain;
    private long modifiedSub;
    /** Oldest first; a plain array, not a list, to keep the per-key footprint small. Never empty. */
    private Generation[] generations = {new Generation()};
    /** Set once compaction removed this index from the tree; writers must then use a fresh one. */
    boolean removed;

    /** Where a read at some revision lands: the key's newest revision, its creation and version then. */
    record Hit(Revision modified, Revision created, long version) {
    }

    KeyIndex(byte[] key) {
        this.key = key;
    }

    void put(long main, long sub) {
        Revision rev = new Revision(main, sub);
        Invariants.check(rev.greaterThan(modified()), "put %s <= modified %s of key %s", rev, modified(), this);
        generations[generations.length - 1].add(main, sub);
        modifiedMain = main;
        modifiedSub = sub;
    }

    /** Records a delete; false when the key is not live (its last generation is empty). */
    boolean tombstone(long main, long sub) {
        Invariants.check(!isEmpty(), "tombstone on empty key index %s", this);
        if (generations[generations.length - 1].isEmpty()) {
            return false;
        }
        put(main, sub);
        generations = Arrays.copyOf(generations, generations.length + 1);
        generations[generations.length - 1] = new Generation();
        return true;
    }

    /** Rebuilds from a snapshot of the newest generation (used by restore of compacted entries). */
    void restore(Revision created, Revision modified, long version) {
        Invariants.check(isEmpty(), "restore into non-empty key index %s", this);
        generations[0].restore(created, modified, version);
        this.modifiedMain = modified.main();
        this.modifiedSub = modified.sub();
        Invariants.check(created.compareTo(modified) <= 0, "created %s after modified %s", created, modified);
    }

    /** The key's state at {@code atRev}, or null when it did not exist then. */
    Hit get(long atRev) {
        Invariants.check(!isEmpty(), "get on empty key index %s", this);
        Generation g = findGeneration(atRev);
        if (g == null || g.isEmpty()) {
            return null;
        }
        int n = g.lastAtOrBefore(atRev);
        if (n < 0) {
            return null;
        }
        return new Hit(g.rev(n), g.created(), g.version - (g.size() - n - 1));
    }

    private Generation findGeneration(long rev) {
        int last = generations.length - 1;
        for (int i = last; i >= 0; i--) {
            Generation g = generations[i];
            if (g.isEmpty()) {
                continue;
            }
            if (i != last && g.last().main() <= rev) {
                return null; // the key was deleted at or before rev
            }
            if (g.main(0) <= rev) {
                return g;
            }
        }
        return null;
    }

    /**
     * Revisions with {@code main >= rev}, one per main revision (the last change of the key in that transaction),
     * in order. Used by watchers catching up.
     */
    List<Revision> since(long rev) {
        Revision since = new Revision(rev, 0);
        int gi = generations.length - 1;
        for (; gi > 0; gi--) {
            Generation g = generations[gi];
            if (!g.isEmpty() && since.greaterThan(g.created())) {
                break;
            }
        }
        List<Revision> out = new ArrayList<>();
        long lastMain = -1;
        for (; gi < generations.length; gi++) {
            Generation g = generations[gi];
            for (int i = 0; i < g.size(); i++) {
                Revision r = g.rev(i);
                if (since.greaterThan(r)) {
                    continue;
                }
                if (r.main() == lastMain) {
                    out.set(out.size() - 1, r);
                } else {
                    out.add(r);
                    lastMain = r.main();
                }
            }
        }
        return out;
    }

    /**
     * Drops revisions compaction at {@code atRev} makes unreachable. Adds the revisions that stay reachable at
     * atRev to {@code available}: their key-bucket entries must be kept.
     */
    void compact(long atRev, Set<Revision> available) {
        Invariants.check(!isEmpty(), "compact on empty key index %s", this);
        int[] found = doCompact(atRev, available);
        int genIdx = found[0];
        Generation g = generations[genIdx];
        if (!g.isEmpty() && found[1] != -1) {
            g.dropBefore(found[1]);
        }
        generations = Arrays.copyOfRange(generations, genIdx, generations.length);
    }

    /**
     * Which revisions a compaction at {@code atRev} keeps, changing nothing (for HashKV): like {@link #compact} but
     * without a tombstone at exactly atRev, as etcd does to keep hashes stable across versions.
     */
    void keep(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            return;
        }
        int[] found = doCompact(atRev, available);
        Generation g = generations[found[0]];
        if (!g.isEmpty() && found[1] == g.size() - 1 && found[0] != generations.length - 1) {
            available.remove(g.rev(found[1]));
        }
    }

    private int[] doCompact(long atRev, Set<Revision> available) {
        int genIdx = 0;
        Generation g = generations[0];
        while (genIdx < generations.length - 1) {
            if (g.last().main() >= atRev) {
                break; // this generation ends at or after atRev: it keeps a revision (a tombstone at atRev too)
            }
            genIdx++;
            g = generations[genIdx];
        }
        int revIndex = g.lastAtOrBefore(atRev);
        if (revIndex >= 0) {
            available.add(g.rev(revIndex));
        }
        // A generation that starts inside the transaction at atRev itself (deleted and put again in one revision)
        // is reachable at atRev too: keep its change.
        for (int i = genIdx + 1; i < generations.length; i++) {
            Generation later = generations[i];
            if (!later.isEmpty() && later.main(0) <= atRev) {
                available.add(later.rev(later.lastAtOrBefore(atRev)));
            }
        }
        return new int[] {genIdx, revIndex};
    }

    boolean isEmpty() {
        return generations.length == 1 && generations[0].isEmpty();
    }

    Revision modified() {
        return new Revision(modifiedMain, modifiedSub);
    }

    int generationCount() {
        return generations.length;
    }

    long heapBytes() {
        long bytes = 40 + 16 + key.length + 16 + 4L * generations.length;
        for (Generation g : generations) {
            bytes += g.heapBytes();
        }
        return bytes;
    }

    boolean sameKey(byte[] other) {
        return Arrays.equals(key, other);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(key) + " modified=" + modified() + " generations="
            + Arrays.toString(generations);
    }
}
