package io.cairn.backend.engine;

import io.cairn.backend.DefragReport;

/**
 * One embedded engine. {@link #apply} is called by one thread at a time; {@link #openView} from any thread,
 * concurrently with {@link #apply}. A view opened before an apply starts must not see it, and one opened after
 * an apply returns must see it.
 */
public interface StorageEngine extends AutoCloseable {

    /** Applies the whole batch atomically: after a crash either all of it is present or none of it. */
    void apply(WriteBatch batch);

    /** Makes every applied batch durable. */
    void sync();

    /** A point-in-time view of the applied state. */
    EngineView openView();

    /** Bytes on disk. */
    long sizeBytes();

    /** Bytes of live data (an estimate). */
    long sizeInUseBytes();

    /**
     * The largest key plus value the engine can store in one entry; a bigger write is refused at {@code put} so
     * it never reaches (and blocks) a batch commit.
     */
    default long maxEntryBytes() {
        return Long.MAX_VALUE;
    }

    /** Whether {@link #defrag} must not run concurrently with {@link #apply}. */
    boolean defragExcludesApply();

    /** Reclaims free space. */
    DefragReport defrag();

    /** Releases files and memory; applied batches must survive a clean close. */
    @Override
    void close();
}
