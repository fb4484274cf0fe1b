package io.cairn.server.config;

import io.cairn.backend.BackendOptions;
import io.cairn.mvcc.quota.BackendQuota;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One member's configuration, validated once (etcd's {@code embed.Config} subset this slice uses). Built by
 * {@link ConfigLoader} from flags, {@code ETCD_*} variables or a YAML file; defaults are etcd's except the data
 * directory ({@code <name>.cairn}) and the Cairn-only backend settings. Immutable.
 *
 * @param quotaBackendBytes the backend space quota; 0 means etcd's default of 2 GiB
 * @param maxRequestBytes the largest request a client may send (etcd: 1.5 MiB)
 * @param heartbeatInterval raft heartbeat (etcd flag in milliseconds)
 * @param electionTimeout raft election timeout (etcd flag in milliseconds), at least 5 heartbeats
 * @param walDir {@code --wal-dir}, by default {@code <data-dir>/member/wal}
 * @param maxWals WAL segments kept before the newest snapshot (0: unlimited)
 * @param maxSnapshots snapshot files kept (0: unlimited)
 * @param autoCompactionRetention etcd's string form: a duration or hours for {@code periodic}, a count for
 *     {@code revision}; "0" is off
 * @param watchProgressNotifyInterval how often idle watchers that asked for it get a progress notification
 *     (etcd {@code --experimental-watch-progress-notify-interval}; 0 or less keeps etcd's 10 minutes, less than
 *     100 ms is raised to 100 ms, as etcd does)
 * @param security TLS for the client and peer endpoints (https:// URLs)
 */
public record ServerConfig(
    String name,
    Path dataDir,
    List<URI> listenClientUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenPeerUrls,
    List<URI> initialAdvertisePeerUrls,
    Map<String, List<URI>> initialCluster,
    String initialClusterState,
    String initialClusterToken,
    long quotaBackendBytes,
    int maxRequestBytes,
    int maxTxnOps,
    long snapshotCount,
    Duration heartbeatInterval,
    Duration electionTimeout,
    String autoCompactionMode,
    String autoCompactionRetention,
    String logLevel,
    String logger,
    String backendEngine,
    Duration backendBatchInterval,
    int backendBatchLimit,
    Path walDir,
    int maxWals,
    int maxSnapshots,
    Duration watchProgressNotifyInterval,
    Grpc grpc,
    Clustering clustering,
    Security security,
    Auth auth) {

    public static final Set<String> CLUSTER_STATES = Set.of("new", "existing");
    public static final Set<String> COMPACTION_MODES = Set.of("periodic", "revision");
    public static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "panic", "fatal");
    /** The largest --quota-backend-bytes accepted (the mvcc quota's own cap, 8 TiB). */
    public static final long MAX_QUOTA_BACKEND_BYTES = BackendQuota.MAX_QUOTA_BYTES;
    /** The largest --backend-batch-limit (the backend's own cap). */
    public static final int MAX_BACKEND_BATCH_LIMIT = BackendOptions.MAX_BATCH_LIMIT_OPS;

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        initialCluster = Map.copyOf(initialCluster);
        require(!listenClientUrls.isEmpty(), "--listen-client-urls must not be empty");
        require(!advertiseClientUrls.isEmpty(), "--advertise-client-urls must not be empty");
        require(CLUSTER_STATES.contains(initialClusterState),
            "--initial-cluster-state must be 'new' or 'existing': " + initialClusterState);
        require(quotaBackendBytes >= 0 && quotaBackendBytes <= MAX_QUOTA_BACKEND_BYTES,
            "--quota-backend-bytes must be in [0, " + MAX_QUOTA_BACKEND_BYTES + "]: " + quotaBackendBytes);
        require(maxRequestBytes > 0, "--max-request-bytes must be positive: " + maxRequestBytes);
        require(maxTxnOps > 0, "--max-txn-ops must be positive: " + maxTxnOps);
        require(snapshotCount > 0, "--snapshot-count must be positive: " + snapshotCount);
        require(heartbeatInterval.toMillis() > 0, "--heartbeat-interval must be positive");
        require(electionTimeout.compareTo(heartbeatInterval.multipliedBy(5)) >= 0,
            "--election-timeout[" + electionTimeout.toMillis() + "ms] should be at least as 5 times as "
                + "--heartbeat-interval[" + heartbeatInterval.toMillis() + "ms]");
        require(electionTimeout.toMillis() <= 50_000,
            "--election-timeout[" + electionTimeout.toMillis() + "ms] is too long, and should be set less than 50s");
        require(COMPACTION_MODES.contains(autoCompactionMode),
            "unknown auto-compaction-mode " + autoCompactionMode);
        require(LOG_LEVELS.contains(logLevel), "unknown log level " + logLevel);
        require(logger.equals("zap"), "unknown logger option " + logger + " (only 'zap' is supported)");
        require(!backendEngine.isEmpty(), "--backend-engine must not be empty");
        require(!backendBatchInterval.isNegative(), "--backend-batch-interval must not be negative");
        require(backendBatchLimit > 0 && backendBatchLimit <= MAX_BACKEND_BATCH_LIMIT,
            "--backend-batch-limit must be in [1, " + MAX_BACKEND_BATCH_LIMIT + "]: " + backendBatchLimit);
        Objects.requireNonNull(walDir, "walDir");
        require(maxWals >= 0, "--max-wals must not be negative: " + maxWals);
        require(maxSnapshots >= 0, "--max-snapshots must not be negative: " + maxSnapshots);
        Objects.requireNonNull(watchProgressNotifyInterval, "watchProgressNotifyInterval");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(clustering, "clustering");
        Objects.requireNonNull(security, "security");
        security.check(listenClientUrls, listenPeerUrls);
        Objects.requireNonNull(auth, "auth");
        require(initialCluster.containsKey(name), "couldn't find local name \"" + name
            + "\" in the initial cluster configuration");
        require(!autoCompactionPeriod(autoCompactionMode, autoCompactionRetention).isNegative()
            && autoCompactionRevisions(autoCompactionMode, autoCompactionRetention) >= 0,
            "--auto-compaction-retention must not be negative: " + autoCompactionRetention);
    }

    /** Periodic auto-compaction's retention window (etcd: a plain number counts hours); zero when off. */
    public Duration autoCompactionPeriod() {
        return autoCompactionPeriod(autoCompactionMode, autoCompactionRetention);
    }

    /** Revision auto-compaction's retention, in revisions; zero when off. */
    public long autoCompactionRevisions() {
        return autoCompactionRevisions(autoCompactionMode, autoCompactionRetention);
    }

    private static Duration autoCompactionPeriod(String mode, String retention) {
        if (!mode.equals("periodic")) {
            return Duration.ZERO;
        }
        String r = retention.trim();
        if (r.matches("-?\\d+")) {
            return Duration.ofHours(Long.parseLong(r));
        }
        return ConfigValues.duration(Flag.AUTO_COMPACTION_RETENTION, r, false);
    }

    private static long autoCompactionRevisions(String mode, String retention) {
        if (!mode.equals("revision")) {
            return 0;
        }
        try {
            return Long.parseLong(retention.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid auto-compaction-retention \"" + retention
                + "\" for revision mode: not a number of revisions");
        }
    }

    /**
     * The client port's gRPC connection settings (etcd's flags of the same names).
     *
     * @param maxConcurrentStreams {@code --max-concurrent-streams}: streams one client connection may open at once
     * @param keepaliveMinTime {@code --grpc-keepalive-min-time}: how often a client may ping; accepted and checked,
     *     but not enforced (Armeria has no client-ping policy)
     * @param keepaliveInterval {@code --grpc-keepalive-interval}: with the timeout, how long a connection may stay
     *     silent (no request, no ping) before it is closed (zero: never)
     * @param keepaliveTimeout {@code --grpc-keepalive-timeout}: added to the interval
     */
    public record Grpc(long maxConcurrentStreams, Duration keepaliveMinTime, Duration keepaliveInterval,
                       Duration keepaliveTimeout) {
        /** Streams per connection an HTTP/2 peer can be told (a 32-bit setting). */
        public static final long MAX_STREAMS = 0xFFFFFFFFL;

        public Grpc {
            require(maxConcurrentStreams > 0 && maxConcurrentStreams <= MAX_STREAMS,
                "--max-concurrent-streams must be in [1, " + MAX_STREAMS + "]: " + maxConcurrentStreams);
            require(!keepaliveMinTime.isNegative() && !keepaliveInterval.isNegative()
                && !keepaliveTimeout.isNegative(), "--grpc-keepalive-* durations must not be negative");
        }
    }

    /**
     * Clustering settings.
     *
     * @param snapshotCatchUpEntries raft entries kept after a snapshot for slow followers (etcd
     *     {@code --experimental-snapshot-catchup-entries}); a follower further behind gets the snapshot
     * @param initialCorruptCheck compare this member's hash with the peers' before serving (etcd's experimental
     *     flag, off there; on in Cairn)
     * @param corruptCheckTime how often the leader compares hashes with its followers (0: never; etcd's
     *     experimental flag, off there; 1 minute in Cairn)
     * @param autoPromoteLearners Cairn: the leader promotes a learner once it has caught up
     */
    public record Clustering(long snapshotCatchUpEntries, boolean initialCorruptCheck, Duration corruptCheckTime,
                             boolean autoPromoteLearners) {
        public Clustering {
            require(snapshotCatchUpEntries > 0,
                "--experimental-snapshot-catchup-entries must be positive: " + snapshotCatchUpEntries);
            require(!corruptCheckTime.isNegative(), "--experimental-corrupt-check-time must not be negative");
        }
    }

    /**
     * TLS for the client endpoint ({@code --cert-file} etc.) and the peer endpoint ({@code --peer-cert-file} etc.),
     * with what both share.
     */
    public record Security(TlsInfo client, TlsInfo peer, TlsPolicy policy) {
        /** Plain http:// only. */
        public static final Security NONE = new Security(TlsInfo.NONE, TlsInfo.NONE, TlsPolicy.DEFAULTS);

        public Security {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(policy, "policy");
        }

        /**
         * etcd's start-up checks: an https:// client URL needs a certificate (or --auto-tls), an https:// peer URL
         * a peer certificate (or --peer-auto-tls). Listen peer URLs may mix http and https, each listener serving
         * its own scheme, but one address (host and port) cannot be listed under both.
         */
        void check(List<URI> listenClientUrls, List<URI> listenPeerUrls) {
            for (URI u : listenClientUrls) {
                require(!isTls(u) || client.canServe(), "TLS key/cert (--cert-file, --key-file) must be provided "
                    + "for client url " + u + " with HTTPS scheme");
            }
            for (URI u : listenPeerUrls) {
                require(!isTls(u) || peer.canServe(), "cannot listen on TLS for " + u.getHost() + ":" + u.getPort()
                    + ": KeyFile and CertFile are not presented");
            }
            for (URI u : listenPeerUrls) {
                require(listenPeerUrls.stream().noneMatch(o -> isTls(o) != isTls(u) && o.getPort() == u.getPort()
                    && o.getHost().equalsIgnoreCase(u.getHost())), "--listen-peer-urls lists " + u.getHost() + ":"
                    + u.getPort() + " with both http and https (one listener serves one scheme): " + listenPeerUrls);
            }
        }
    }

    /** Whether {@code url} asks for TLS ({@code https://}). */
    public static boolean isTls(URI url) {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /**
     * Authentication settings (etcd's flags of the same names).
     *
     * @param token {@code --auth-token}: the token provider and its options
     * @param simpleTokenTtl {@code --auth-token-ttl}: how long a simple token lives after its last use (etcd: 0
     *     means its default of 300 s)
     * @param bcryptCost {@code --bcrypt-cost}: the cost of the bcrypt hash of new passwords, in [4, 31]
     */
    public record Auth(AuthTokenSpec token, Duration simpleTokenTtl, int bcryptCost) {
        /** etcd's {@code simpleTokenTTLDefault}. */
        public static final Duration DEFAULT_TOKEN_TTL = Duration.ofSeconds(300);
        public static final int MIN_BCRYPT_COST = 4;
        public static final int MAX_BCRYPT_COST = 31;

        public Auth {
            Objects.requireNonNull(token, "token");
            require(!simpleTokenTtl.isNegative(), "--auth-token-ttl must not be negative");
            simpleTokenTtl = simpleTokenTtl.isZero() ? DEFAULT_TOKEN_TTL : simpleTokenTtl;
            require(bcryptCost >= MIN_BCRYPT_COST && bcryptCost <= MAX_BCRYPT_COST,
                "--bcrypt-cost must be in [" + MIN_BCRYPT_COST + ", " + MAX_BCRYPT_COST + "]: " + bcryptCost);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }

    /** Where the member keeps its state: {@code <data-dir>/member}. */
    public Path memberDir() {
        return dataDir.resolve("member");
    }
}
