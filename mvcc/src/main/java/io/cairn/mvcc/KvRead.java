package io.cairn.mvcc;

/**
 * A read transaction: a consistent view at {@link #revision()}, the store's current revision when it began.
 * Never blocks writers; holds {@link KvStore#reload()} off until closed, so close it promptly. Not thread-safe
 * (it may be closed on another thread than the one that opened it).
 */
public interface KvRead extends AutoCloseable {

    /** The revision this transaction reads at by default. */
    long revision();

    /**
     * Reads {@code range} at {@code options.rev()} (the transaction's revision when 0).
     *
     * @throws MvccException.Compacted when that revision was compacted
     * @throws MvccException.FutureRevision when it is newer than the transaction's revision
     */
    RangeResult range(KeyRange range, RangeOptions options);

    @Override
    void close();
}
