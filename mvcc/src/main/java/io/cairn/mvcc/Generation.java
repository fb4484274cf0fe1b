package io.cairn.mvcc;

import java.util.Arrays;

/**
 * One life of a key: from the put that created it to the delete (tombstone) that ended it, or still open. Holds
 * its revisions in order, packed as (main, sub) pairs in one array to keep the index small. {@code version} is
 * the number of puts in this generation (the tombstone counts too, but is never read as a version).
 */
final class Generation {
    private static final long[] NONE = new long[0];
    long version;
    private long createdMain;
    private long createdSub;
    private long[] revs = NONE;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long main(int i) {
        return revs[2 * i];
    }

    Revision rev(int i) {
        return new Revision(revs[2 * i], revs[2 * i + 1]);
    }

    Revision created() {
        return new Revision(createdMain, createdSub);
    }

    Revision last() {
        return rev(size - 1);
    }

    void add(long main, long sub) {
        if (size == 0) {
            createdMain = main;
            createdSub = sub;
        }
        if (2 * size == revs.length) {
            revs = Arrays.copyOf(revs, Math.max(2, revs.length * 2)); // one (main, sub) pair first: most keys
        }
        revs[2 * size] = main;
        revs[2 * size + 1] = sub;
        size++;
        version++;
    }

    /** Starts the generation from a surviving revision whose creation was compacted away. */
    void restore(Revision created, Revision first, long restoredVersion) {
        add(first.main(), first.sub());
        createdMain = created.main();
        createdSub = created.sub();
        version = restoredVersion;
    }

    /** The index of the newest revision with {@code main <= atRev}, or -1 when all are newer. */
    int lastAtOrBefore(long atRev) {
        for (int i = size - 1; i >= 0; i--) {
            if (revs[2 * i] <= atRev) {
                return i;
            }
        }
        return -1;
    }

    /** Drops revisions before index {@code from}. */
    void dropBefore(int from) {
        if (from <= 0) {
            return;
        }
        revs = Arrays.copyOfRange(revs, 2 * from, 2 * size);
        size -= from;
    }

    /** Approximate heap bytes, for the index memory figure. */
    long heapBytes() {
        return 48 + 16 + 8L * revs.length;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(rev(i));
        }
        return sb.append("}").toString();
    }
}
