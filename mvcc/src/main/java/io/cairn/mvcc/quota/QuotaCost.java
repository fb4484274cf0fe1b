package io.cairn.mvcc.quota;

/**
 * What a request costs against the backend quota, estimated as etcd's quota.go does: a put costs its key and
 * value plus 256 bytes of metadata overhead, a txn the larger of its success and failure branches' puts (other
 * operations, including nested txns, cost nothing), a lease grant 64 bytes. Requests that add no data cost 0.
 */
public final class QuotaCost {
    /** etcd's kvOverhead: a key's metadata (revision keys, index, protobuf framing). */
    public static final long KV_OVERHEAD_BYTES = 256;
    /** etcd's leaseOverhead: one lease record. */
    public static final long LEASE_GRANT_BYTES = 64;

    private QuotaCost() {
    }

    /** A put, or one put operation of a txn branch. */
    public static long put(long keyBytes, long valueBytes) {
        if (keyBytes < 0 || valueBytes < 0) {
            throw new IllegalArgumentException("sizes must not be negative: " + keyBytes + ", " + valueBytes);
        }
        return KV_OVERHEAD_BYTES + keyBytes + valueBytes;
    }

    /**
     * A txn, given the summed {@link #put} costs of the top-level puts of each branch: only one branch runs, so
     * the larger one.
     */
    public static long txn(long successPutsBytes, long failurePutsBytes) {
        return Math.max(successPutsBytes, failurePutsBytes);
    }
}
