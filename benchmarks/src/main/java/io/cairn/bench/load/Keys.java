package io.cairn.bench.load;

import com.google.protobuf.ByteString;

/**
 * etcd benchmark's keys: key number {@code n >= 0} is Go's {@code binary.PutVarint(k, n)} (zig-zag, then 7 bits per
 * byte, low group first, high bit = more follows) written at the start of {@code keySizeBytes} zero bytes. Key 0 is all
 * zeros; key 1 starts {@code 0x02}; key 64 starts {@code 0x80 0x01}.
 */
final class Keys {
    private Keys() {
    }

    /** Bytes Go's {@code PutVarint} writes for {@code n >= 0}. */
    static int varintLength(long n) {
        checkNonNegative(n);
        long zigzag = n << 1;
        int length = 1;
        while ((zigzag & ~0x7FL) != 0) {
            zigzag >>>= 7;
            length++;
        }
        return length;
    }

    /** Key number {@code n}, {@code keySizeBytes} long; the caller checked that the varint fits. */
    static ByteString key(long n, int keySizeBytes) {
        checkNonNegative(n);
        byte[] key = new byte[keySizeBytes];
        long zigzag = n << 1;
        int i = 0;
        while ((zigzag & ~0x7FL) != 0) {
            key[i++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        key[i] = (byte) zigzag;
        return ByteString.copyFrom(key);
    }

    private static void checkNonNegative(long n) {
        if (n < 0 || n > Long.MAX_VALUE >> 1) {
            throw new IllegalArgumentException("key number out of range: " + n);
        }
    }
}
