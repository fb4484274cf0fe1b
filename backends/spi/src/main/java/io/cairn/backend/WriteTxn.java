package io.cairn.backend;

/**
 * The single writer. Reads through it see its own writes. Its writes become visible to other readers together,
 * when it is closed, and reach the engine with a later batch commit. There is no rollback: like etcd's batch
 * transaction every write stands once made. Only one write transaction is open at a time; {@link Backend#write()}
 * waits for the previous one to close. Must be closed by the thread that opened it.
 */
public interface WriteTxn extends ReadTxn {

    /**
     * Stores {@code value} under {@code key}, creating the bucket if needed. Keys must be non-empty. The backend
     * keeps both arrays: the caller must not mutate them afterwards.
     */
    void put(Bucket bucket, byte[] key, byte[] value);

    /** Removes {@code key}; removing an absent key is a no-op. */
    void delete(Bucket bucket, byte[] key);
}
