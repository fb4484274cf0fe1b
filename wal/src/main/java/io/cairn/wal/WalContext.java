package io.cairn.wal;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The side effects a writable WAL needs, injected: the file layer, the clock that times syncs, the observer
 * that receives the timings, and the executor that prepares the next segment file off the WAL's thread
 * ({@link SegmentPipeline}). The server passes an executor with a thread of its own; tests and tools pass
 * {@link #DIRECT} (or use the three-argument constructor), which prepares inline at create, open and cut.
 * The executor's tasks touch only the file being prepared, through {@code files}, which must therefore allow
 * calls on different files from two threads ({@link DiskWalFiles} does).
 */
public record WalContext(WalFiles files, NanoClock clock, WalObserver observer, Executor executor) {
    /** Runs each task on the calling thread. */
    public static final Executor DIRECT = Runnable::run;

    public WalContext {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(executor, "executor");
    }

    /** A context that prepares segments on the calling thread ({@link #DIRECT}). */
    public WalContext(WalFiles files, NanoClock clock, WalObserver observer) {
        this(files, clock, observer, DIRECT);
    }
}
