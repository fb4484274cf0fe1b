package io.cairn.backend;

import java.io.OutputStream;
import java.util.function.BiPredicate;

/**
 * A store of buckets on one embedded engine. Thread-safe: any number of concurrent {@link #read()}s, one
 * {@link #write()} at a time, and maintenance calls from any thread. Obtain one with {@link Backends#open}.
 */
public interface Backend extends AutoCloseable {

    /** The engine's name as chosen in config ({@code xodus}, {@code mapdb}, {@code mvstore}, {@code rocksdb}). */
    String engine();

    /** A frozen view of everything published so far. Never waits for writers or commits. */
    ReadTxn read();

    /** The write transaction; waits while another one is open. */
    WriteTxn write();

    /** Commits buffered writes to the engine now (atomic, not necessarily durable). */
    void commit();

    /**
     * Commits if {@link BackendOptions#batchLimitOps()} writes are buffered or the oldest buffered write is older
     * than {@link BackendOptions#batchInterval()} by the backend's clock. The server calls this periodically.
     *
     * @return whether a commit ran
     */
    boolean commitIfDue();

    /** Commits and makes every committed write durable on disk. */
    void sync();

    /** Writes buffered and not yet committed to the engine. */
    long pendingWrites();

    /**
     * Streams a consistent image of the whole store (all buckets) in Cairn's engine-independent snapshot format,
     * ending with a SHA-256 trailer. Restore it with {@link Backends#restore}, into any engine.
     *
     * @return bytes written
     */
    long snapshot(OutputStream out);

    /** Bytes the engine's files take on disk. */
    long sizeBytes();

    /** Bytes holding live data (an engine estimate; at most {@link #sizeBytes()} after a defrag). */
    long sizeInUseBytes();

    /** Reclaims free space, committing first. See each engine's module doc for whether commits wait. */
    DefragReport defrag();

    /**
     * CRC-32C over every bucket name, key and value in order, skipping entries for which {@code skip} is true.
     * Identical on every engine for the same contents.
     */
    long hash(BiPredicate<Bucket, byte[]> skip);

    /** Commits, syncs and releases the engine. Idempotent. */
    @Override
    void close();
}
