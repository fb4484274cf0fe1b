package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Rebuilds the key index (and lease attachments) from the key bucket on open, walking it in revision order in
 * chunks: like etcd's restore, a key first seen after compaction starts from a restored generation.
 */
final class IndexRebuild {
    private IndexRebuild() {
    }

    /** Returns the highest main revision found (0 for an empty store). */
    static long run(Backend backend, TreeIndex index, LeaseAttachments leases, int chunk) {
        Map<ByteBuffer, Long> keyToLease = new HashMap<>();
        long[] maxRev = {0};
        byte[] from = RevisionKeys.startOf(0);
        try (ReadTxn txn = backend.read()) {
            while (true) {
                byte[][] last = {null};
                long n = txn.scan(Bucket.KEY, RangeQuery.of(from, null).withLimit(chunk), (k, v) -> {
                    apply(index, keyToLease, k, KeyValueCodec.decodeWithoutValue(v));
                    last[0] = k;
                    return true;
                });
                if (last[0] != null) {
                    maxRev[0] = Math.max(maxRev[0], RevisionKeys.decode(last[0]).main());
                }
                if (n < chunk) {
                    break;
                }
                from = successor(last[0]);
            }
        }
        keyToLease.forEach((key, lease) -> leases.attach(lease, key.array()));
        return maxRev[0];
    }

    private static void apply(TreeIndex index, Map<ByteBuffer, Long> keyToLease, byte[] revKey, KeyValue kv) {
        Revision rev = RevisionKeys.decode(revKey);
        boolean tombstone = RevisionKeys.isTombstone(revKey);
        byte[] key = kv.key();
        if (index.contains(key)) {
            if (tombstone) {
                index.tombstone(key, rev);
            } else {
                index.put(key, rev);
            }
        } else if (!tombstone) {
            index.restore(key, Revision.of(kv.createRevision()), rev, kv.version());
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        if (tombstone || kv.lease() == 0) {
            keyToLease.remove(k);
        } else {
            keyToLease.put(k, kv.lease());
        }
    }

    /** The smallest key greater than {@code key}. */
    private static byte[] successor(byte[] key) {
        byte[] next = new byte[key.length + 1];
        System.arraycopy(key, 0, next, 0, key.length);
        return next;
    }
}
