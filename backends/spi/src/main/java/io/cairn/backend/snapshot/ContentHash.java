package io.cairn.backend.snapshot;

import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import java.nio.charset.StandardCharsets;
import java.util.function.BiPredicate;
import java.util.zip.CRC32C;

/**
 * CRC-32C over bucket names, keys and values in order, like etcd's backend hash: for each non-empty bucket its
 * name, then for each entry not skipped its key and value.
 */
public final class ContentHash {
    private ContentHash() {
    }

    public static long of(ReadTxn txn, BiPredicate<Bucket, byte[]> skip) {
        CRC32C crc = new CRC32C();
        for (Bucket bucket : txn.buckets()) {
            crc.update(bucket.name().getBytes(StandardCharsets.UTF_8));
            txn.scan(bucket, RangeQuery.all(), (k, v) -> {
                if (!skip.test(bucket, k)) {
                    crc.update(k);
                    crc.update(v);
                }
                return true;
            });
        }
        return crc.getValue();
    }
}
