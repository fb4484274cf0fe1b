package io.cairn.backend.buffer;

import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.WriteBatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Buffered writes between two engine commits. Written by the single writer only; read concurrently. Once sealed
 * it never changes.
 */
final class Generation {
    final long id;
    private final Map<Bucket, ConcurrentSkipListMap<byte[], Version>> buckets = new ConcurrentHashMap<>();
    private volatile boolean sealed;
    private volatile int ops;
    private volatile long firstWriteNanos;

    Generation(long id) {
        this.id = id;
    }

    /** Records a put ({@code value != null}) or delete made by the write transaction {@code seq}. */
    void write(Bucket bucket, byte[] key, byte[] value, long seq, long nowNanos) {
        if (sealed) {
            throw new IllegalStateException("write into sealed generation " + id);
        }
        ConcurrentSkipListMap<byte[], Version> keys =
            buckets.computeIfAbsent(bucket, b -> new ConcurrentSkipListMap<>(Keys.ORDER));
        Version old = keys.get(key);
        // A second write by the same transaction replaces its first: nobody else can have seen it.
        Version older = old != null && old.seq() == seq ? old.older() : old;
        keys.put(key, new Version(seq, value, older));
        if (ops == 0) {
            firstWriteNanos = nowNanos;
        }
        ops = ops + 1;
    }

    /** The version of {@code key} visible at {@code readSeq}, or null when this generation has none. */
    Version lookup(Bucket bucket, byte[] key, long readSeq) {
        ConcurrentSkipListMap<byte[], Version> keys = buckets.get(bucket);
        if (keys == null) {
            return null;
        }
        Version v = keys.get(key);
        return v == null ? null : v.visibleAt(readSeq);
    }

    /** The bucket's skip list, or null. */
    ConcurrentSkipListMap<byte[], Version> bucket(Bucket bucket) {
        return buckets.get(bucket);
    }

    List<Bucket> bucketNames() {
        return List.copyOf(buckets.keySet());
    }

    void seal() {
        sealed = true;
    }

    int ops() {
        return ops;
    }

    long firstWriteNanos() {
        return firstWriteNanos;
    }

    /** The newest version of every key, as one engine batch. Only valid once sealed. */
    WriteBatch toBatch() {
        WriteBatch batch = new WriteBatch();
        buckets.forEach((bucket, keys) -> keys.forEach((key, v) -> batch.add(bucket, key, v.value())));
        return batch;
    }
}
