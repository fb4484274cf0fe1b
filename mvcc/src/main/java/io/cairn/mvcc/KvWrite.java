package io.cairn.mvcc;

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

    /** The changes made so far, in order. */
    List<Event> changes();
}
