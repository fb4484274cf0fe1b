package io.cairn.bench.load;

import com.google.protobuf.ByteString;

/**
 * What the range workload reads: {@code [key, end)}, or the single {@code key} when {@code end} is empty.
 *
 * @param serializable etcd's {@code --consistency s}; false is {@code l}, linearizable
 */
public record RangeTarget(ByteString key, ByteString end, boolean serializable) {
    public RangeTarget {
        if (key.isEmpty()) {
            throw new UsageException("range needs a non-empty key");
        }
    }
}
