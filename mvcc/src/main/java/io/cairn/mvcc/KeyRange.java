package io.cairn.mvcc;

import io.cairn.backend.Keys;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The keys a request names, in etcd's terms: a single {@code key}; every key {@code >= key}; or
 * {@code [key, end)}. Built from a request's (key, range_end) with {@link #of}: an empty range_end is a single
 * key, {@code "\0"} means "to the end" and anything else is the exclusive end.
 */
public record KeyRange(byte[] key, byte[] end, Kind kind) {

    /** Which of the three shapes. */
    public enum Kind { SINGLE, FROM, BETWEEN }

    public KeyRange {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
    }

    /** etcd's (key, range_end) convention. */
    public static KeyRange of(byte[] key, byte[] rangeEnd) {
        if (rangeEnd == null || rangeEnd.length == 0) {
            return single(key);
        }
        if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
            return from(key);
        }
        return new KeyRange(key, rangeEnd, Kind.BETWEEN);
    }

    public static KeyRange single(byte[] key) {
        return new KeyRange(key, null, Kind.SINGLE);
    }

    public static KeyRange from(byte[] key) {
        return new KeyRange(key, null, Kind.FROM);
    }

    public static KeyRange between(byte[] key, byte[] end) {
        return new KeyRange(key, end, Kind.BETWEEN);
    }

    /** Every key starting with {@code prefix} (etcd's {@code --prefix}); all keys for an empty prefix. */
    public static KeyRange prefix(byte[] prefix) {
        byte[] end = Keys.prefixEnd(prefix);
        return end == null ? from(prefix) : between(prefix, end);
    }

    public boolean isSingle() {
        return kind == Kind.SINGLE;
    }

    /** True when {@code k} is in the range. */
    public boolean contains(byte[] k) {
        return switch (kind) {
            case SINGLE -> Arrays.equals(key, k);
            case FROM -> Arrays.compareUnsigned(k, key) >= 0;
            case BETWEEN -> Arrays.compareUnsigned(k, key) >= 0 && Arrays.compareUnsigned(k, end) < 0;
        };
    }

    /** True when no key can match ({@code end <= key}). */
    public boolean isEmpty() {
        return kind == Kind.BETWEEN && Arrays.compareUnsigned(end, key) <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r && kind == r.kind && Arrays.equals(key, r.key) && Arrays.equals(end, r.end);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Arrays.hashCode(end) + kind.hashCode();
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return switch (kind) {
            case SINGLE -> "[" + hex.formatHex(key) + "]";
            case FROM -> "[" + hex.formatHex(key) + ", ∞)";
            case BETWEEN -> "[" + hex.formatHex(key) + ", " + hex.formatHex(end) + ")";
        };
    }
}
