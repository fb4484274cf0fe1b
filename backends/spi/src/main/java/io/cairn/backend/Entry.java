package io.cairn.backend;

import java.util.Arrays;

/** One key and its value, as returned by {@link ReadTxn#list}. */
public record Entry(byte[] key, byte[] value) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return Keys.toHex(key) + "=" + Keys.toHex(value);
    }
}
