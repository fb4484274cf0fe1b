package io.cairn.backend.xodus;

import io.cairn.backend.BackendException;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.core.dataStructures.Priority;
import jetbrains.exodus.core.execution.JobProcessorAdapter;
import jetbrains.exodus.core.execution.LatchJob;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.gc.GarbageCollector;
import jetbrains.exodus.log.Log;

/**
 * A forced full pass of Xodus's log cleaner: what {@code defrag} does.
 *
 * <p>Xodus never rewrites a file in place. Cleaning a file copies its still-live loggables to the head of the log in
 * one exclusive "GC transaction", after which the file holds only garbage and is deleted once no transaction that
 * could still read it is open (a "transaction-safe task"). This pass cleans every file older than the file being
 * written when it starts, oldest first, one GC transaction per file, so an {@code apply} waits for at most one
 * file's cleaning. Deletion is immediate when no view is open; a view held open across the pass defers the
 * deletion of the cleaned files until it closes (the space then shows up as freed later).
 *
 * <p>Thread confinement: every step runs as a job on the environment's own cleaner thread ("Exodus background
 * cleaner for DIR"), the thread Xodus's {@link GarbageCollector} expects, so the pass never races the background
 * cleaner; the caller blocks until the job has finished.
 */
final class LogCompactor {
    /** How long one wait on the cleaner thread spins before it checks that the thread is still alive. */
    private static final long SPIN_MILLIS = 100;
    /**
     * Attempts per file: a GC transaction gives up after {@code exodus.gc.transactionAcquireTimeout} (1 s) when an
     * {@code apply} holds the exclusive transaction that long; a file still busy after this many is left for
     * the next pass.
     */
    private static final int ATTEMPTS_PER_FILE = 10;
    /** Text of the exception Xodus throws for a file the background cleaner already cleaned (deletion pending). */
    private static final String ALREADY_CLEANED = "already cleaned";

    private final EnvironmentImpl env;

    LogCompactor(EnvironmentImpl env) {
        this.env = env;
    }

    /** Cleans every file but the newest and waits for the deletions that are safe now. */
    void compact() {
        JobProcessorAdapter cleanerThread = env.getGC().getCleanerJobProcessor();
        CleanPass pass = new CleanPass();
        if (!cleanerThread.waitForLatchJob(pass, SPIN_MILLIS)) {
            throw new BackendException("xodus: the log cleaner thread has stopped; cannot defrag");
        }
        pass.rethrow();
        // File deletions deferred by a transaction that ended during the pass are queued on the cleaner thread at
        // normal priority; a lowest-priority barrier runs after them.
        cleanerThread.waitForLatchJob(new Barrier(), SPIN_MILLIS, Priority.lowest);
    }

    /** The pass itself, on the cleaner thread. */
    private final class CleanPass extends LatchJob {
        private volatile RuntimeException failure;
        private volatile Error error;

        @Override
        protected void execute() {
            try {
                GarbageCollector gc = env.getGC();
                Log log = env.getLog();
                long newest = log.getHighFileAddress();
                long[] newestFirst = log.getAllFileAddresses();
                for (int i = newestFirst.length - 1; i >= 0; i--) {
                    if (newestFirst[i] < newest) {
                        cleanFile(gc, newestFirst[i]);
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                error = e;
            } finally {
                release();
            }
        }

        private void cleanFile(GarbageCollector gc, long file) {
            for (int attempt = 0; attempt < ATTEMPTS_PER_FILE; attempt++) {
                try {
                    if (gc.doCleanFile(file)) {
                        return;
                    }
                } catch (ExodusException e) {
                    if (e.getMessage() != null && e.getMessage().contains(ALREADY_CLEANED)) {
                        return;
                    }
                    throw e;
                }
            }
        }

        void rethrow() {
            if (error != null) {
                throw error;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Runs after every job queued before it. */
    private static final class Barrier extends LatchJob {
        @Override
        protected void execute() {
            release();
        }
    }
}
