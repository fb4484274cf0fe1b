package io.cairn.mvcc;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * etcd's {@code mvccpb.KeyValue}: a key's state at one revision. {@code version} counts puts since the key was
 * created (reset by a delete); {@code lease} is 0 when none. Arrays are shared, never mutate them.
 */
public record KeyValue(byte[] key, long createRevision, long modRevision, long version, byte[] value, long lease) {
    private static final byte[] EMPTY = new byte[0];

    public KeyValue {
        if (value == null) {
            value = EMPTY;
        }
    }

    /** The same key-value without its value ({@code keys_only}). */
    public KeyValue withoutValue() {
        return new KeyValue(key, createRevision, modRevision, version, EMPTY, lease);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && createRevision == kv.createRevision
            && modRevision == kv.modRevision && version == kv.version && Arrays.equals(value, kv.value)
            && lease == kv.lease;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + HexFormat.of().formatHex(key) + " create=" + createRevision + " mod=" + modRevision
            + " version=" + version + " value=" + value.length + "B lease=" + lease + "]";
    }
}
