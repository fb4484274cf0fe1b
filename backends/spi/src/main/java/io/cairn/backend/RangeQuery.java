package io.cairn.backend;

import java.util.Arrays;

/**
 * A key range {@code [start, end)} scanned forward or in reverse, with an optional limit.
 *
 * <ul>
 *   <li>{@code start} is inclusive; an empty array means the first key of the bucket.</li>
 *   <li>{@code end} is exclusive; {@code null} means no upper bound. {@code end <= start} selects nothing.</li>
 *   <li>{@code limit <= 0} means no limit (etcd's convention); otherwise at most {@code limit} entries.</li>
 *   <li>{@code reverse} visits the same entries from the largest key down (the limit applies from that end).</li>
 * </ul>
 * Arrays are not copied: callers must not mutate them while a scan runs.
 */
public record RangeQuery(byte[] start, byte[] end, long limit, boolean reverse) {
    private static final byte[] FIRST = new byte[0];

    public RangeQuery {
        if (start == null) {
            throw new IllegalArgumentException("start must not be null (use an empty array for the first key)");
        }
    }

    /** Every key of the bucket. */
    public static RangeQuery all() {
        return new RangeQuery(FIRST, null, 0, false);
    }

    /** Keys in {@code [start, end)}; {@code end == null} for no upper bound. */
    public static RangeQuery of(byte[] start, byte[] end) {
        return new RangeQuery(start, end, 0, false);
    }

    /** Keys starting with {@code prefix}. */
    public static RangeQuery prefix(byte[] prefix) {
        return new RangeQuery(prefix, Keys.prefixEnd(prefix), 0, false);
    }

    public RangeQuery withLimit(long newLimit) {
        return new RangeQuery(start, end, newLimit, reverse);
    }

    public RangeQuery reversed() {
        return new RangeQuery(start, end, limit, !reverse);
    }

    /** True when no key can be in the range ({@code end <= start}). */
    public boolean isEmpty() {
        return end != null && Arrays.compareUnsigned(end, start) <= 0;
    }

    /** True when {@code key} lies in {@code [start, end)}. */
    public boolean contains(byte[] key) {
        return Arrays.compareUnsigned(key, start) >= 0 && (end == null || Arrays.compareUnsigned(key, end) < 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeQuery q && Arrays.equals(start, q.start) && Arrays.equals(end, q.end)
            && limit == q.limit && reverse == q.reverse;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(end) + Long.hashCode(limit) + (reverse ? 1 : 0);
    }

    @Override
    public String toString() {
        return "RangeQuery[" + Keys.toHex(start) + ", " + (end == null ? "∞" : Keys.toHex(end)) + ") limit="
            + limit + (reverse ? " reverse" : "");
    }
}
