package io.cairn.backend.engine;

import io.cairn.backend.Bucket;
import java.util.List;

/**
 * A consistent read-only view of an engine. Thread-confined. Returned arrays may be shared with the engine: callers
 * never mutate them.
 */
public interface EngineView extends AutoCloseable {

    /** The value under {@code key}, or {@code null} when absent (or the bucket does not exist). */
    byte[] get(Bucket bucket, byte[] key);

    /**
     * A cursor over {@code [start, end)} ({@code end == null}: no upper bound), ascending or descending. It is
     * positioned before the first entry: call {@link EngineCursor#next()} first.
     */
    EngineCursor cursor(Bucket bucket, byte[] start, byte[] end, boolean reverse);

    /** Buckets that exist in the engine (possibly empty), in name order. */
    List<Bucket> buckets();

    @Override
    void close();
}
