package io.cairn.mvcc;

/**
 * A point in the store's history: {@code main} counts write transactions (one per transaction that changed
 * something, starting at 1), {@code sub} counts changes inside it (from 0). Ordered by main, then sub.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {

    public Revision {
        if (main < 0 || sub < 0) {
            throw new IllegalArgumentException("revision must not be negative: " + main + "." + sub);
        }
    }

    public static Revision of(long main) {
        return new Revision(main, 0);
    }

    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }

    public boolean greaterThan(Revision o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return main + "." + sub;
    }
}
