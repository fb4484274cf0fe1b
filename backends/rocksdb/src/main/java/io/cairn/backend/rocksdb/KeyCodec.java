package io.cairn.backend.rocksdb;

import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * All buckets share RocksDB's default column family. A data key is {@code [name length][name][user key]}; the
 * length byte (1-64, bucket names are 1-64 ASCII characters) keeps one bucket's keys contiguous and apart from
 * every other bucket's, and within a bucket the order is that of the user keys (bytewise unsigned, RocksDB's
 * default comparator). Length byte 0 is reserved: {@code [0][name]} with an empty value registers a bucket, so
 * listing buckets is a short scan of that prefix, in name order.
 */
final class KeyCodec {
    /** Start and end of the registry prefix. */
    static final byte[] REGISTRY_START = {0};
    static final byte[] REGISTRY_END = {1};

    private KeyCodec() {
    }

    /** {@code [name length][name]}: the prefix of every key of the bucket. */
    static byte[] prefix(Bucket bucket) {
        byte[] name = bucket.name().getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = new byte[1 + name.length];
        prefix[0] = (byte) name.length;
        System.arraycopy(name, 0, prefix, 1, name.length);
        return prefix;
    }

    /** The first key past the bucket. Never null: names hold no 0xFF byte. */
    static byte[] prefixEnd(byte[] prefix) {
        return Keys.prefixEnd(prefix);
    }

    static byte[] key(byte[] prefix, byte[] userKey) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + userKey.length);
        System.arraycopy(userKey, 0, key, prefix.length, userKey.length);
        return key;
    }

    /** The user key of a stored key with a prefix of {@code prefixLength} bytes. */
    static byte[] userKey(byte[] stored, int prefixLength) {
        return Arrays.copyOfRange(stored, prefixLength, stored.length);
    }

    /** {@code [0][name]}: the registry entry of the bucket. */
    static byte[] registryKey(Bucket bucket) {
        byte[] prefix = prefix(bucket);
        prefix[0] = 0;
        return prefix;
    }

    /** The bucket a registry key names, or null for anything that is not a valid bucket name. */
    static Bucket bucketOfRegistryKey(byte[] key) {
        try {
            return Bucket.of(new String(key, 1, key.length - 1, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
