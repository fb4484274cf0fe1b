package io.cairn.mvcc;

/**
 * How to read a range. {@code rev <= 0} reads the latest revision; {@code limit <= 0} returns every key;
 * {@code countOnly} returns only the count.
 */
public record RangeOptions(long rev, long limit, boolean countOnly) {
    public static final RangeOptions LATEST = new RangeOptions(0, 0, false);

    public static RangeOptions atRevision(long rev) {
        return new RangeOptions(rev, 0, false);
    }

    public RangeOptions withLimit(long newLimit) {
        return new RangeOptions(rev, newLimit, countOnly);
    }
}
