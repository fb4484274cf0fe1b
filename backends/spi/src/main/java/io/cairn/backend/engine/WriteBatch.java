package io.cairn.backend.engine;

import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The final state of every key written since the last commit, grouped by bucket, in key order. A {@code null}
 * value is a delete. Immutable once handed to {@link StorageEngine#apply}.
 */
public final class WriteBatch {

    /** Receives one write. */
    @FunctionalInterface
    public interface Visitor {
        void write(Bucket bucket, byte[] key, byte[] valueOrNull);
    }

    private final NavigableMap<Bucket, NavigableMap<byte[], byte[]>> writes = new TreeMap<>();
    private int size;

    /** Records a put, or a delete when {@code valueOrNull} is null. */
    public void add(Bucket bucket, byte[] key, byte[] valueOrNull) {
        NavigableMap<byte[], byte[]> keys = writes.computeIfAbsent(bucket, b -> new TreeMap<>(Keys.ORDER));
        if (!keys.containsKey(key)) {
            size++;
        }
        keys.put(key, valueOrNull);
    }

    /** Visits every write, by bucket name then key. */
    public void forEach(Visitor visitor) {
        for (Map.Entry<Bucket, NavigableMap<byte[], byte[]>> bucket : writes.entrySet()) {
            for (Map.Entry<byte[], byte[]> e : bucket.getValue().entrySet()) {
                visitor.write(bucket.getKey(), e.getKey(), e.getValue());
            }
        }
    }

    /** Writes per bucket, by bucket name. Read-only use. */
    public NavigableMap<Bucket, NavigableMap<byte[], byte[]>> byBucket() {
        return writes;
    }

    /** The number of distinct keys written. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }
}
