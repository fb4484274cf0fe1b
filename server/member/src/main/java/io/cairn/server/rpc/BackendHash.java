package io.cairn.server.rpc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * etcd's Maintenance.Hash: CRC-32C over every bucket of the backend ({@link Backend#hash}), skipping what etcd's
 * {@code DefaultIgnores} skips: the meta bucket's {@code consistent_index} and {@code term}, which legitimately
 * differ between members holding the same data. The value is only comparable between Cairn members (the buckets
 * are Cairn's, not bbolt's).
 */
final class BackendHash {
    private static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TERM = "term".getBytes(StandardCharsets.US_ASCII);

    private BackendHash() {
    }

    /** The hash as etcd's uint32. */
    static int of(Backend backend) {
        return (int) backend.hash(BackendHash::ignored);
    }

    static boolean ignored(Bucket bucket, byte[] key) {
        return bucket.equals(Bucket.META) && (Arrays.equals(key, CONSISTENT_INDEX) || Arrays.equals(key, TERM));
    }
}
