package io.cairn.tools.snapshot;

import io.cairn.backend.BackendException;
import io.cairn.backend.Backends;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.RestoreRewrite;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairnutl snapshot restore FILE}: etcdutl's command and flags. Exit code 0 when restored, 1 when not (and
 * then nothing is left behind).
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Restores a snapshot saved from a Cairn member (etcdctl snapshot save) into a new data dir, for a member of a"
        + " new cluster; run it once per member with the same --initial-cluster.",
    "Unlike etcdutl, the revision is bumped by 1,000,000,000 and marked compacted by default, so that watchers and"
        + " caches of the old cluster start over; --bump-revision 0 --mark-compacted=false restores as etcdutl"
        + " does without flags."})
public final class RestoreCommand implements Callable<Integer> {
    static final String DEFAULT_NAME = "default";
    static final String DEFAULT_PEER_URLS = "http://localhost:2380";
    /** Far above any revision a cluster reaches between two backups, and far below overflow. */
    static final long DEFAULT_BUMP_REVISION = 1_000_000_000L;

    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
    Path file;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Path to the output data directory; must not"
        + " exist or be empty (default: <name>.cairn, as the server's).")
    Path dataDir;

    @Option(names = "--wal-dir", paramLabel = "DIR", description = "The WAL directory the member will use; must not"
        + " exist (default: <data-dir>/member/wal). Nothing is written there.")
    Path walDir;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = DEFAULT_NAME,
        description = "Human-readable name for this member (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--initial-cluster", paramLabel = "NAME=URL,...", description = "Initial cluster configuration"
        + " for restore bootstrap (default: <name>=<initial-advertise-peer-urls>, as the server's).")
    String initialCluster;

    @Option(names = "--initial-cluster-token", paramLabel = "TOKEN", defaultValue = "etcd-cluster",
        description = "Initial cluster token for the cluster during restore bootstrap (default: ${DEFAULT-VALUE}).")
    String initialClusterToken;

    @Option(names = "--initial-advertise-peer-urls", paramLabel = "URLS", defaultValue = DEFAULT_PEER_URLS,
        description = "This member's peer URLs, as in --initial-cluster (default: ${DEFAULT-VALUE}).")
    String initialAdvertisePeerUrls;

    @Option(names = "--skip-hash-check", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
        description = "Ignore etcd's SHA-256 trailer (required for a bare backend stream without one). The Cairn"
            + " stream's own SHA-256 is always checked.")
    boolean skipHashCheck;

    @Option(names = "--bump-revision", paramLabel = "N", defaultValue = "" + DEFAULT_BUMP_REVISION,
        description = "How much to increase the latest revision by (default: ${DEFAULT-VALUE}; 0 keeps it).")
    long bumpRevision;

    @Option(names = "--mark-compacted", arity = "0..1", fallbackValue = "true", defaultValue = "true",
        paramLabel = "BOOL", description = "Compact the store at its revision after the bump, so that every older"
            + " revision reads as compacted (default: ${DEFAULT-VALUE}; --mark-compacted=false keeps history).")
    boolean markCompacted;

    @Option(names = "--backend-engine", paramLabel = "ENGINE", defaultValue = Backends.DEFAULT_ENGINE,
        description = "Storage engine of the restored backend: rocksdb, xodus, mapdb, mvstore (default:"
            + " ${DEFAULT-VALUE}); start the member with the same.")
    String backendEngine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SnapshotRestore.Options options = options();
            SnapshotRestore.Report report = SnapshotRestore.run(options, line -> {
                err.println(line);
                err.flush();
            });
            out.println(summary(options, report));
            err.println("Note: no WAL was written; start the member with these flags so that it bootstraps the new"
                + " cluster: " + String.join(" ", startFlags(options)));
            return 0;
        } catch (SnapshotException | BackendException | MvccException | IllegalArgumentException
                 | UncheckedIOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private SnapshotRestore.Options options() {
        if (bumpRevision < 0) {
            throw new SnapshotException("--bump-revision must not be negative: " + bumpRevision);
        }
        List<String> peerUrls = InitialCluster.urls(initialAdvertisePeerUrls);
        InitialCluster cluster = initialCluster == null ? InitialCluster.of(name, peerUrls)
            : InitialCluster.parse(initialCluster);
        Path data = dataDir != null ? dataDir : Path.of(name + ".cairn");
        return new SnapshotRestore.Options(file, data, walDir, name, cluster, initialClusterToken, peerUrls,
            skipHashCheck, bumpRevision, markCompacted, backendEngine);
    }

    /** One line like etcdutl's "restored snapshot" log entry, plus what the store now is. */
    static String summary(SnapshotRestore.Options options, SnapshotRestore.Report report) {
        RestoreRewrite.Result r = report.rewrite();
        String revision = r.revision() == r.snapshotRevision() ? "revision " + r.revision()
            : "revision " + r.revision() + " (" + r.snapshotRevision() + " bumped by " + options.bumpRevision() + ")";
        String compacted = r.compactedRevision() < 0 ? "never compacted" : "compacted at " + r.compactedRevision();
        return "restored snapshot " + options.file() + " to " + options.dataDir() + " (backend " + report.backendDir()
            + ", engine " + options.engine() + ", " + report.bytesRead() + " bytes): " + revision + ", " + compacted
            + ", " + r.keys() + " live keys";
    }

    /** The server flags that bootstrap this member the way the restore was checked for. */
    static List<String> startFlags(SnapshotRestore.Options options) {
        List<String> flags = new ArrayList<>(List.of("--name", options.name(), "--data-dir",
            options.dataDir().toString(), "--initial-cluster", options.cluster().toString(),
            "--initial-cluster-token", options.clusterToken(), "--initial-advertise-peer-urls",
            String.join(",", options.peerUrls()), "--initial-cluster-state", "new"));
        if (options.walDir() != null) {
            flags.addAll(List.of("--wal-dir", options.walDir().toString()));
        }
        if (!options.engine().equals(Backends.DEFAULT_ENGINE)) {
            flags.addAll(List.of("--backend-engine", options.engine()));
        }
        return flags;
    }
}
