package io.cairn.bench.load;

/**
 * The keys and values a write workload uses, as etcd's benchmark makes them: key number {@code n} is {@code n}
 * written as a Go zig-zag varint ({@code binary.PutVarint}) into {@code keySizeBytes} zero bytes; numbers are drawn
 * from {@code [0, keySpaceSize)}, in order ({@code sequential}) or at random.
 */
public record KeySpace(int keySizeBytes, int valSizeBytes, int keySpaceSize, boolean sequential) {
    public KeySpace {
        if (keySizeBytes < 1) {
            throw new UsageException("--key-size must be at least 1, got " + keySizeBytes);
        }
        if (valSizeBytes < 0) {
            throw new UsageException("--val-size must not be negative, got " + valSizeBytes);
        }
        if (keySpaceSize < 1) {
            throw new UsageException("--key-space-size must be positive, got " + keySpaceSize);
        }
        int needed = Keys.varintLength(keySpaceSize - 1L);
        if (keySizeBytes < needed) {
            throw new UsageException("--key-size " + keySizeBytes + " is too small for --key-space-size "
                + keySpaceSize + ": key numbers need " + needed + " bytes");
        }
    }
}
