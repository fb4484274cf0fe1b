package io.cairn.tools.snapshot;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendException;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.RestoreRewrite;
import io.cairn.tools.dumplogs.GoText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Restores a snapshot file into a new member data dir: etcdutl's {@code snapshot restore} for Cairn's layout.
 * Writes the backend only, at {@code <data-dir>/member/snap/db} in the chosen engine, with the old cluster's
 * membership removed, the consistent index and term reset to 0 and the revision bumped and marked compacted
 * ({@link RestoreRewrite}). It writes no WAL: on its first start the member bootstraps a raft log from its own
 * {@code --initial-cluster} flags and, the backend's consistent index being 0, applies all of it.
 *
 * <p>Everything is checked before anything is written (the cluster flags, the engine, the data dir, the file's
 * shape); the file's content is checked while it is restored, and a restore that fails removes what it created.
 */
final class SnapshotRestore {
    /** Below this size no progress lines are printed: the restore takes a moment. */
    static final long PROGRESS_MIN_BYTES = 64L << 20;

    /**
     * A restore to run.
     *
     * @param walDir {@code --wal-dir}, or null for {@code <data-dir>/member/wal}
     * @param clusterToken {@code --initial-cluster-token}: not stored (nothing of the new cluster is), but the
     *     member must start with it
     * @param bumpRevision how much to raise the store's revision by (0: keep it)
     */
    record Options(Path file, Path dataDir, Path walDir, String name, InitialCluster cluster, String clusterToken,
                   List<String> peerUrls, boolean skipHashCheck, long bumpRevision, boolean markCompacted,
                   String engine) {
        Options {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(dataDir, "dataDir");
            peerUrls = List.copyOf(peerUrls);
        }

        Path backendDir() {
            return dataDir.resolve("member").resolve("snap").resolve("db");
        }
    }

    /**
     * What was restored.
     *
     * @param bytesRead bytes of the Cairn stream read
     */
    record Report(Path backendDir, long bytesRead, RestoreRewrite.Result rewrite) {
    }

    private SnapshotRestore() {
    }

    /**
     * Runs the restore.
     *
     * @param progress gets one line now and then for large files
     * @throws SnapshotException for bad flags, an existing target or a file that fails its checks
     * @throws BackendException when the engine fails
     */
    static Report run(Options options, Consumer<String> progress) {
        options.cluster().verify(options.name(), options.peerUrls());
        if (!Backends.engines().containsKey(options.engine())) {
            throw new BackendException.UnknownEngine(options.engine(), Backends.engines().keySet());
        }
        requireNewDataDir(options.dataDir());
        if (options.walDir() != null && Files.exists(options.walDir())) {
            throw new SnapshotException("wal-dir " + GoText.quote(options.walDir().toString()) + " exists");
        }
        SnapshotFile file = SnapshotFile.open(options.file(),
            options.skipHashCheck() ? SnapshotFile.TrailerCheck.SKIPPED : SnapshotFile.TrailerCheck.REQUIRED);
        boolean createdDataDir = !Files.exists(options.dataDir());
        try {
            return restore(options, file, progress);
        } catch (RuntimeException e) {
            try {
                Backends.deleteRecursively(createdDataDir ? options.dataDir() : options.dataDir().resolve("member"));
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Report restore(Options options, SnapshotFile file, Consumer<String> progress) {
        long[] bytesRead = {0};
        LongConsumer onBytes = bytes -> {
            bytesRead[0] = bytes;
            if (file.sizeBytes() >= PROGRESS_MIN_BYTES) {
                progress.accept(String.format("[restore] %s of %s read (%d %%)", StatusPrinter.humanBytes(bytes),
                    StatusPrinter.humanBytes(file.sizeBytes()), bytes * 100 / file.sizeBytes()));
            }
        };
        BackendOptions backendOptions = BackendOptions.of(options.backendDir(), options.engine());
        Backend backend = file.read(in -> Backends.restore(backendOptions, in, onBytes), Backend::close);
        try {
            if (file.sizeBytes() >= PROGRESS_MIN_BYTES) {
                progress.accept("[restore] removing the old membership, bumping and compacting revisions");
            }
            trimMembership(backend);
            RestoreRewrite.Result rewrite = RestoreRewrite.apply(backend, options.bumpRevision(),
                options.markCompacted(), MvccConfig.DEFAULT);
            backend.sync();
            return new Report(options.backendDir(), bytesRead[0], rewrite);
        } finally {
            backend.close();
        }
    }

    /** etcd's {@code TrimMembershipFromBackend}: the new cluster's membership comes from its own flags. */
    private static void trimMembership(Backend backend) {
        for (Bucket bucket : List.of(Bucket.MEMBERS, Bucket.MEMBERS_REMOVED)) {
            List<byte[]> keys = new ArrayList<>();
            try (ReadTxn txn = backend.read()) {
                txn.scan(bucket, RangeQuery.all(), (k, v) -> keys.add(k));
            }
            try (WriteTxn txn = backend.write()) {
                keys.forEach(k -> txn.delete(bucket, k));
            }
        }
    }

    /** etcdutl 3.5: the data dir may exist if it is an empty directory. */
    private static void requireNewDataDir(Path dataDir) {
        if (!Files.exists(dataDir)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dataDir)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            empty = false;
        }
        if (!empty) {
            throw new SnapshotException("data-dir " + GoText.quote(dataDir.toString())
                + " not empty or could not be read");
        }
    }
}
