package io.cairn.backend;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/** Byte-key helpers shared by the backend and its engines. Keys order bytewise unsigned. */
public final class Keys {
    /** Bytewise unsigned order, shorter prefix first: the order of every bucket. */
    public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private Keys() {
    }

    /**
     * The smallest key greater than every key with this prefix, or {@code null} when there is none (the prefix is
     * empty or all 0xFF), which {@link RangeQuery} reads as "no upper bound".
     */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public static String toHex(byte[] key) {
        return key == null ? "null" : HexFormat.of().formatHex(key);
    }
}
