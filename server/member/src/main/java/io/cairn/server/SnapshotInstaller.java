package io.cairn.server;

import io.cairn.backend.Backend;
import io.cairn.backend.SwappableBackend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.consensus.RaftPersistence;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the member's backend with the image of a snapshot the leader sent (etcd's {@code applySnapshot} and,
 * at start, {@code recoverSnapshotBackend}). The transport saved the image durably as
 * {@code member/snap/%016x.snap.db} before raft saw the snapshot, and raft persisted the snapshot before the
 * applier asks for it to be installed, so every step here can be redone after a crash:
 * <ol>
 *   <li>the image is restored into {@code member/snap/db.restoring} (any leftover of an earlier attempt is
 *       deleted first) and synced;</li>
 *   <li>with the key store's reads held off, the {@link SwappableBackend} waits until no transaction is open,
 *       closes the old engine, deletes {@code member/snap/db}, renames {@code db.restoring} to {@code db}, syncs
 *       the directory and opens it, and the caller reloads the lessor, key store, alarms, membership and
 *       watchers from it (mvcc's documented order);</li>
 *   <li>the image is deleted once the new backend is durable.</li>
 * </ol>
 * A crash anywhere before the image is deleted leaves a backend whose consistent index is below the newest
 * snapshot, and {@link #pendingAtStart} finds the image again at the next start.
 */
final class SnapshotInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstaller.class);
    private static final long PROGRESS_EVERY_BYTES = 256L << 20;

    private final ServerConfig config;
    private final SwappableBackend backend;
    private final RaftPersistence.Layout layout;
    private final LongSupplier nanoClock;

    SnapshotInstaller(ServerConfig config, SwappableBackend backend, RaftPersistence.Layout layout,
        LongSupplier nanoClock) {
        this.config = config;
        this.backend = backend;
        this.layout = layout;
        this.nanoClock = nanoClock;
    }

    /**
     * The index of a snapshot whose image must be installed before the member can start: the newest restartable
     * snapshot is above the backend's consistent index and its image is there. 0 when there is none.
     */
    long pendingAtStart(long backendIndex) {
        boolean newerImage = RaftPersistence.snapshotImages(layout).stream()
            .anyMatch(i -> Long.compareUnsigned(i, backendIndex) > 0);
        if (!newerImage) {
            return 0; // the common start: no image newer than the backend, so no need to read the WAL's markers
        }
        long newest = RaftPersistence.newestSnapshotIndex(layout);
        if (newest > backendIndex && RaftPersistence.snapshotImage(layout, newest).isPresent()) {
            return newest;
        }
        return 0;
    }

    /**
     * Restores the image of snapshot {@code index} beside the backend, then calls {@code reload} with the swap: it
     * must run it (with the key store's reads held off) and reload every store from the new contents. Then makes
     * the backend durable and deletes the image.
     *
     * @throws IllegalStateException when the image is missing or unreadable (the member must stop: raft already
     *     moved past the entries the image replaces)
     */
    void install(long index, Consumer<Runnable> reload) {
        Path image = RaftPersistence.snapshotImage(layout, index).orElseThrow(() -> new IllegalStateException(
            String.format("backend image of snapshot %d (%016x.snap.db) is missing", index, index)));
        long start = nanoClock.getAsLong();
        Path dir = Member.backendDir(config);
        Path restoring = dir.resolveSibling("db.restoring");
        Backends.deleteRecursively(restoring);
        long size = size(image);
        LOG.atInfo().addKeyValue("snapshot-index", index).addKeyValue("bytes", size)
            .log("restoring backend from the leader's snapshot");
        long[] nextReport = {PROGRESS_EVERY_BYTES};
        try (InputStream in = Files.newInputStream(image)) {
            Backends.restore(options(restoring), in, read -> {
                if (read >= nextReport[0]) {
                    nextReport[0] += PROGRESS_EVERY_BYTES;
                    LOG.atInfo().addKeyValue("read-bytes", read).addKeyValue("total-bytes", size)
                        .log("restoring backend");
                }
            }).close();
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshot image " + image, e);
        }
        reload.accept(() -> backend.swap(old -> {
            old.close();
            Backends.deleteRecursively(dir);
            move(restoring, dir);
            return Backends.open(options(dir));
        }));
        backend.sync();
        try {
            Files.deleteIfExists(image);
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("path", image.toString()).log("could not delete an installed snapshot image");
        }
        LOG.atInfo().addKeyValue("snapshot-index", index).addKeyValue("took-ms",
            TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - start)).log("installed the leader's snapshot");
    }

    private BackendOptions options(Path dir) {
        return options(config, dir, nanoClock);
    }

    private static BackendOptions options(ServerConfig config, Path dir, LongSupplier nanoClock) {
        return BackendOptions.of(dir, config.backendEngine()).withBatchInterval(config.backendBatchInterval())
            .withBatchLimitOps(config.backendBatchLimit()).withNanoClock(nanoClock);
    }

    /** Opens the member's backend in {@code <data-dir>/member/snap/db}, removing a half-done restore beside it. */
    static Backend open(ServerConfig config, LongSupplier nanoClock) {
        Path dir = Member.backendDir(config);
        Backends.deleteRecursively(dir.resolveSibling("db.restoring"));
        return Backends.open(options(config, dir, nanoClock));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel parent = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
                parent.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moving " + from + " to " + to, e);
        }
    }
}
