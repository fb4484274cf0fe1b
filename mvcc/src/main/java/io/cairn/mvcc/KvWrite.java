package io.cairn.mvcc;

import io.cairn.backend.Bucket;
import java.util.List;

/**
 * The write transaction: every change it makes shares one main revision, {@code revision() + 1}, with sub
 * revisions counting the changes. Reads through it see its own changes. A transaction that changes nothing
 * does not bump the revision. Only one is open at a time.
 */
public interface KvWrite extends KvRead {

    /**
     * Puts {@code value} under {@code key} with {@code lease} (0 for none); the caller has checked the lease exists.
     *
     * @return the main revision of this transaction's changes
     */
    long put(byte[] key, byte[] value, long lease);

    /**
     * Deletes every live key in {@code range}.
     *
     * @return the number of keys deleted
     */
    long deleteRange(KeyRange range);

    /**
     * Deletes {@code key} from {@code bucket} in this transaction's backend transaction, so it commits atomically
     * with the key changes (etcd deletes a revoked lease's record in the same transaction as its keys). Not a
     * change: no revision, no event. The {@code key} and {@code meta} buckets belong to the store and are refused.
     */
    void deleteInBucket(Bucket bucket, byte[] key);

    /** The changes made so far, in order. */
    List<Event> changes();
}
