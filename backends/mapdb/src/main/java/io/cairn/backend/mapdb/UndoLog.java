package io.cairn.backend.mapdb;

import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import io.cairn.backend.engine.WriteBatch;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The pre-images of one apply: for every key the batch writes, its value before the apply, or {@link #ABSENT}.
 * Tagged with the epoch the apply produces; a view of an older epoch reads these instead of the live maps.
 * Immutable once built; the arrays inside are never handed out (callers copy).
 */
final class UndoLog {
    /** Marks a key that did not exist before the apply (compared by identity). */
    static final byte[] ABSENT = new byte[0];
    private static final long ENTRY_OVERHEAD_BYTES = 64;

    final long tag;
    private final Map<Bucket, NavigableMap<byte[], byte[]>> preImages;
    private final long sizeBytes;

    private UndoLog(long tag, Map<Bucket, NavigableMap<byte[], byte[]>> preImages, long sizeBytes) {
        this.tag = tag;
        this.preImages = preImages;
        this.sizeBytes = sizeBytes;
    }

    /**
     * Reads the current value of every key of {@code batch} from {@code store} (the state of epoch
     * {@code tag - 1}: only the single applier changes it). Keys above a bucket's last key are absent without a
     * lookup, which makes the etcd append pattern (new revisions past the end) cost one lookup per bucket.
     */
    static UndoLog capture(MapDbStore store, WriteBatch batch, long tag) {
        Map<Bucket, NavigableMap<byte[], byte[]>> pre = new HashMap<>();
        long bytes = 0;
        for (Map.Entry<Bucket, NavigableMap<byte[], byte[]>> e : batch.byBucket().entrySet()) {
            byte[] last = store.lastKey(e.getKey());
            NavigableMap<byte[], byte[]> images = new TreeMap<>(Keys.ORDER);
            for (byte[] key : e.getValue().keySet()) {
                byte[] old = last == null || Keys.compare(key, last) > 0 ? null : store.get(e.getKey(), key);
                images.put(key, old == null ? ABSENT : old);
                bytes += ENTRY_OVERHEAD_BYTES + key.length + (old == null ? 0 : old.length);
            }
            pre.put(e.getKey(), Collections.unmodifiableNavigableMap(images));
        }
        return new UndoLog(tag, Map.copyOf(pre), bytes);
    }

    /** The pre-image of {@code key}: null when this apply did not write it, else a value or {@link #ABSENT}. */
    byte[] find(Bucket bucket, byte[] key) {
        NavigableMap<byte[], byte[]> m = preImages.get(bucket);
        return m == null ? null : m.get(key);
    }

    /** Pre-images of keys in the given range ({@code hi == null}: unbounded), ascending. */
    NavigableMap<byte[], byte[]> range(Bucket bucket, byte[] lo, boolean loInclusive, byte[] hi,
        boolean hiInclusive) {
        NavigableMap<byte[], byte[]> m = preImages.get(bucket);
        if (m == null) {
            return Collections.emptyNavigableMap();
        }
        return hi == null ? m.tailMap(lo, loInclusive) : m.subMap(lo, loInclusive, hi, hiInclusive);
    }

    /** Pre-image of {@code key} at {@code bucket} before this apply, if it wrote the key, as a live-bytes delta. */
    long liveBytesBefore(Bucket bucket, byte[] key) {
        byte[] old = find(bucket, key);
        return old == null || old == ABSENT ? 0 : key.length + old.length;
    }

    /** Approximate heap held by this log. */
    long sizeBytes() {
        return sizeBytes;
    }
}
