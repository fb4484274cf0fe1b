package io.cairn.mvcc;

import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * etcd's HashKV result: {@code hash} (CRC-32C as an unsigned 32-bit value), the revision hashed, the store's
 * current and compacted revisions when it was computed.
 */
public record KvHash(long hash, long hashRevision, long currentRevision, long compactRevision) {
    private static final byte[] KEY_BUCKET = "key".getBytes(StandardCharsets.US_ASCII);

    static KvHash compute(ReadTxn txn, Set<Revision> keep, long rev, long compactRev, long currentRev) {
        CRC32C crc = new CRC32C();
        crc.update(KEY_BUCKET);
        long lowerMain = compactRev + 1;
        txn.scan(Bucket.KEY, RangeQuery.of(RevisionKeys.startOf(0), RevisionKeys.startOf(rev + 1)), (k, v) -> {
            Revision r = RevisionKeys.decode(k);
            if (r.main() < lowerMain && !keep.isEmpty() && !keep.contains(r)) {
                return true; // scheduled for deletion by compaction
            }
            crc.update(k);
            crc.update(v);
            return true;
        });
        return new KvHash(crc.getValue(), rev, currentRev, compactRev);
    }
}
