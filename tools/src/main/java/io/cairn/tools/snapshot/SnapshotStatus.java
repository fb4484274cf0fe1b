package io.cairn.tools.snapshot;

import io.cairn.backend.Bucket;
import io.cairn.backend.snapshot.SnapshotReader;
import io.cairn.mvcc.StoreRevisions;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * etcdutl's {@code snapshot status} of a Cairn snapshot file, worked out in one streaming pass, without opening a
 * backend. Each field means what etcdutl's does, read from Cairn's stream instead of a bbolt file:
 *
 * @param hash CRC-32C over each bucket's name and then its keys and values, in order (etcd's status hash; equal
 *     to {@code Backend#hash} of the store the file restores to)
 * @param revision the store's revision, as the store opens at it (newest key revision or finished compaction)
 * @param totalKeys entries in all buckets (etcd counts every bucket's keys, not only the key bucket's)
 * @param totalSizeBytes the size of the backend image: the Cairn stream, without padding and trailer (etcd: the
 *     bbolt file's size)
 */
record SnapshotStatus(long hash, long revision, long totalKeys, long totalSizeBytes) {

    /** Reads and verifies {@code file} (its stream's SHA-256, and etcd's trailer when present). */
    static SnapshotStatus of(SnapshotFile file) {
        CRC32C crc = new CRC32C();
        StoreRevisions revisions = new StoreRevisions();
        Bucket[] current = {null};
        long[] sizeBytes = {0};
        long entries = file.read(in -> SnapshotReader.read(in, (bucket, key, value) -> {
            if (!bucket.equals(current[0])) {
                crc.update(bucket.name().getBytes(StandardCharsets.UTF_8));
                current[0] = bucket;
            }
            crc.update(key);
            crc.update(value);
            revisions.entry(bucket, key, value);
        }, bytes -> sizeBytes[0] = bytes), ignored -> { });
        return new SnapshotStatus(crc.getValue(), revisions.revision(), entries, sizeBytes[0]);
    }
}
