package io.cairn.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A consistent, frozen view of the store: every write published before {@link Backend#read()} returned, and none
 * after. Reads never block writers. Not thread-safe: one thread at a time. Close it promptly; an open read may
 * pin engine resources (a RocksDB snapshot, an Xodus read-only transaction, a MapDB read lock).
 */
public interface ReadTxn extends AutoCloseable {

    /** The value stored under {@code key}, or empty. The returned array is shared: never mutate it. */
    Optional<byte[]> get(Bucket bucket, byte[] key);

    /**
     * Visits the entries of {@code query} in key order (descending if reversed) until the limit is reached or the
     * visitor returns false.
     *
     * @return the number of entries visited
     */
    long scan(Bucket bucket, RangeQuery query, EntryVisitor visitor);

    /** The number of keys in {@code query} (its limit is ignored). */
    default long count(Bucket bucket, RangeQuery query) {
        return scan(bucket, query.withLimit(0), (k, v) -> true);
    }

    /** The entries of {@code query} as a list. */
    default List<Entry> list(Bucket bucket, RangeQuery query) {
        List<Entry> out = new ArrayList<>();
        scan(bucket, query, (k, v) -> out.add(new Entry(k, v)));
        return out;
    }

    /** The buckets that hold at least one key or were ever written, in name order. */
    List<Bucket> buckets();

    @Override
    void close();
}
