package io.cairn.raft;

/**
 * Result of looking up the term of a log index: found, or why not (etcd's {@code ErrCompacted} /
 * {@code ErrUnavailable}) as values, since callers branch on them (e.g. fall back to sending a snapshot).
 */
record TermResult(long term, Kind kind) {
    enum Kind { FOUND, COMPACTED, UNAVAILABLE }

    static final TermResult COMPACTED = new TermResult(0, Kind.COMPACTED);
    static final TermResult UNAVAILABLE = new TermResult(0, Kind.UNAVAILABLE);

    static TermResult found(long term) {
        return new TermResult(term, Kind.FOUND);
    }

    boolean isFound() {
        return kind == Kind.FOUND;
    }

    /** The term, or 0 if it is not known (etcd {@code zeroTermOnOutOfBounds}). */
    long termOrZero() {
        return isFound() ? term : 0;
    }
}
