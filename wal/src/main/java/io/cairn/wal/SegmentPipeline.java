package io.cairn.wal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Prepares the file of the next segment ahead of a cut, like etcd's filePipeline: {@link #PREPARED_FILE} in the
 * WAL directory, created, zero-filled to the segment size and synced on {@link WalContext#executor()}, so that
 * neither a save nor a cut ever waits for zeros (unless a whole segment filled up faster than the executor could
 * write one). Its name ends in {@code .wal.tmp}: a writable open deletes one left by a crash.
 *
 * <p>At most one preparation is pending. {@link #prepare} and {@link #take} are called on the WAL's thread only;
 * the executor's thread touches nothing but the prepared file, and hands it over through the future (which orders
 * its writes before the WAL's). Not thread-safe otherwise.
 */
final class SegmentPipeline implements Closeable {
    /** The file a segment is prepared in; {@link #take} returns it open, the caller renames it. */
    static final String PREPARED_FILE = "prepared.wal" + SegmentedWal.TMP_SUFFIX;

    private final WalFiles files;
    private final Executor executor;
    private final Path path;
    private final long zeroFillBytes;
    private CompletableFuture<SegmentChannel> pending;

    /**
     * @param zeroFillBytes bytes of zeros the prepared file holds (the segment size), 0 for an empty file
     */
    SegmentPipeline(WalContext context, Path dir, long zeroFillBytes) {
        this.files = context.files();
        this.executor = context.executor();
        this.path = dir.resolve(PREPARED_FILE);
        this.zeroFillBytes = zeroFillBytes;
    }

    Path path() {
        return path;
    }

    /** Starts preparing the next segment on the executor, unless one is pending. */
    void prepare() {
        if (pending == null) {
            pending = CompletableFuture.supplyAsync(this::allocateUnchecked, executor);
        }
    }

    /**
     * The prepared file, open for writing, waiting for a pending preparation (or preparing it on the calling
     * thread when none is pending); the next {@link #prepare} starts another one, so rename this one first.
     *
     * @throws IOException when preparing it failed
     */
    SegmentChannel take() throws IOException {
        if (pending == null) {
            return allocate();
        }
        CompletableFuture<SegmentChannel> taken = pending;
        pending = null;
        try {
            return taken.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Waits for a pending preparation and deletes its file (a writable open would delete it anyway). A failed
     * preparation is not reported: no segment will be cut from it.
     */
    @Override
    public void close() throws IOException {
        if (pending == null) {
            return;
        }
        try {
            take().close();
        } catch (IOException | RuntimeException ignored) {
            // Nothing was handed over; the file, if any, is deleted below.
        }
        files.delete(path);
    }

    private SegmentChannel allocateUnchecked() {
        try {
            return allocate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the file afresh, writes its zeros and syncs them: real blocks, durable before any record. */
    private SegmentChannel allocate() throws IOException {
        files.delete(path);
        SegmentChannel channel = files.create(path);
        try {
            if (zeroFillBytes > 0) {
                Zeros.fill(channel, 0, zeroFillBytes);
                channel.force();
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
