package io.cairn.backend.xodus;

import java.util.Arrays;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;

/** Conversions between caller-owned arrays and Xodus {@link ByteIterable}s. */
final class ByteIterables {
    private ByteIterables() {
    }

    /** Wraps without copying: Xodus never mutates the array, and batches are immutable once applied. */
    static ByteIterable wrap(byte[] bytes) {
        return new ArrayByteIterable(bytes);
    }

    /**
     * A fresh array the caller owns. Xodus's contract for {@link ByteIterable#getBytesUnsafe()} is that the first
     * {@link ByteIterable#getLength()} bytes are the content; the array may be longer and may be shared.
     */
    static byte[] copy(ByteIterable it) {
        int length = it.getLength();
        return length == 0 ? new byte[0] : Arrays.copyOf(it.getBytesUnsafe(), length);
    }
}
