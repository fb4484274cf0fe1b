package io.cairn.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The flags a member understands, with etcd's names, defaults and help. Each has an environment variable (etcd's
 * mapping: {@code ETCD_} + the name upper-cased, dashes to underscores) and a YAML key (the name itself). A
 * default of null is derived from other flags by {@link ConfigLoader}.
 */
public enum Flag {
    NAME("name", "default", "Human-readable name for this member."),
    DATA_DIR("data-dir", null, "Path to the data directory (default: ${name}.cairn)."),
    WAL_DIR("wal-dir", "", "Path to the dedicated wal directory (default: ${data-dir}/member/wal)."),
    LISTEN_CLIENT_URLS("listen-client-urls", "http://localhost:2379",
        "List of URLs to listen on for client grpc and http traffic."),
    ADVERTISE_CLIENT_URLS("advertise-client-urls", "http://localhost:2379",
        "List of this member's client URLs to advertise to the public."),
    LISTEN_PEER_URLS("listen-peer-urls", "http://localhost:2380", "List of URLs to listen on for peer traffic."),
    INITIAL_ADVERTISE_PEER_URLS("initial-advertise-peer-urls", "http://localhost:2380",
        "List of this member's peer URLs to advertise to the rest of the cluster."),
    INITIAL_CLUSTER("initial-cluster", null,
        "Initial cluster configuration for bootstrapping (default: ${name}=${initial-advertise-peer-urls})."),
    INITIAL_CLUSTER_STATE("initial-cluster-state", "new",
        "Initial cluster state ('new' or 'existing')."),
    INITIAL_CLUSTER_TOKEN("initial-cluster-token", "etcd-cluster",
        "Initial cluster token for the etcd cluster during bootstrap."),
    QUOTA_BACKEND_BYTES("quota-backend-bytes", "0",
        "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota)."),
    MAX_REQUEST_BYTES("max-request-bytes", "1572864",
        "Maximum client request size in bytes the server will accept."),
    MAX_TXN_OPS("max-txn-ops", "128", "Maximum number of operations permitted in a transaction."),
    MAX_CONCURRENT_STREAMS("max-concurrent-streams", "4294967295",
        "Maximum concurrent streams that each client can open at a time."),
    GRPC_KEEPALIVE_MIN_TIME("grpc-keepalive-min-time", "5s",
        "Minimum interval duration that a client should wait before pinging server."),
    GRPC_KEEPALIVE_INTERVAL("grpc-keepalive-interval", "2h",
        "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable)."),
    GRPC_KEEPALIVE_TIMEOUT("grpc-keepalive-timeout", "20s",
        "Additional duration of wait before closing a non-responsive connection (0 to disable)."),
    SNAPSHOT_COUNT("snapshot-count", "100000",
        "Number of committed transactions to trigger a snapshot to disk."),
    MAX_SNAPSHOTS("max-snapshots", "5", "Maximum number of snapshot files to retain (0 is unlimited)."),
    EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES("experimental-snapshot-catchup-entries", "5000",
        "Number of entries for a slow follower to catch up after compacting the raft storage entries."),
    EXPERIMENTAL_INITIAL_CORRUPT_CHECK("experimental-initial-corrupt-check", "true",
        "Enable to check data corruption before serving any client/peer traffic (Cairn: on by default)."),
    EXPERIMENTAL_CORRUPT_CHECK_TIME("experimental-corrupt-check-time", "1m0s",
        "Duration of time between cluster corruption check passes (0 disables; Cairn: 1m by default)."),
    AUTO_PROMOTE_LEARNERS("auto-promote-learners", "false",
        "Cairn: the leader promotes a learner to voter once it has caught up."),
    MAX_WALS("max-wals", "5", "Maximum number of wal files to retain (0 is unlimited)."),
    HEARTBEAT_INTERVAL("heartbeat-interval", "100", "Time (in milliseconds) of a heartbeat interval."),
    ELECTION_TIMEOUT("election-timeout", "1000", "Time (in milliseconds) for an election to timeout."),
    AUTO_COMPACTION_MODE("auto-compaction-mode", "periodic",
        "Interpret 'auto-compaction-retention' one of: periodic|revision."),
    AUTO_COMPACTION_RETENTION("auto-compaction-retention", "0",
        "Auto compaction retention length. 0 means disable auto compaction."),
    EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL("experimental-watch-progress-notify-interval", "10m0s",
        "Duration of periodic watch progress notifications."),
    LOG_LEVEL("log-level", "info", "Configures log level. Only supports debug, info, warn, error, panic, or fatal."),
    LOGGER("logger", "zap", "Currently only supports 'zap' for structured logging."),
    CONFIG_FILE("config-file", "", "Path to the server configuration file (YAML). Flags and environment "
        + "variables are ignored when it is given."),
    BACKEND_ENGINE("backend-engine", null,
        "Cairn: storage engine (rocksdb, xodus, mapdb, mvstore, memory; default rocksdb)."),
    BACKEND_BATCH_INTERVAL("backend-batch-interval", "100ms",
        "BackendBatchInterval is the maximum time before commit the backend transaction."),
    BACKEND_BATCH_LIMIT("backend-batch-limit", "10000",
        "BackendBatchLimit is the maximum operations before commit the backend transaction."),
    CERT_FILE("cert-file", "", "Path to the client server TLS cert file."),
    KEY_FILE("key-file", "", "Path to the client server TLS key file (PEM: PKCS#1, PKCS#8 or EC)."),
    CLIENT_CERT_AUTH("client-cert-auth", "false", "Enable client cert authentication."),
    CLIENT_CRL_FILE("client-crl-file", "", "Path to the client certificate revocation list file."),
    CLIENT_CERT_ALLOWED_HOSTNAME("client-cert-allowed-hostname", "",
        "Allowed TLS hostname for client cert authentication."),
    TRUSTED_CA_FILE("trusted-ca-file", "", "Path to the client server TLS trusted CA cert file."),
    AUTO_TLS("auto-tls", "false", "Client TLS using generated certificates."),
    PEER_CERT_FILE("peer-cert-file", "", "Path to the peer server TLS cert file."),
    PEER_KEY_FILE("peer-key-file", "", "Path to the peer server TLS key file (PEM: PKCS#1, PKCS#8 or EC)."),
    PEER_CLIENT_CERT_AUTH("peer-client-cert-auth", "false", "Enable peer client cert authentication."),
    PEER_TRUSTED_CA_FILE("peer-trusted-ca-file", "", "Path to the peer server TLS trusted CA file."),
    PEER_CERT_ALLOWED_CN("peer-cert-allowed-cn", "",
        "Required CN for client certs connecting to the peer endpoint."),
    PEER_CERT_ALLOWED_HOSTNAME("peer-cert-allowed-hostname", "",
        "Allowed TLS hostname for inter peer authentication."),
    PEER_AUTO_TLS("peer-auto-tls", "false",
        "Peer TLS using self-generated certificates if --peer-key-file and --peer-cert-file are not provided."),
    PEER_CRL_FILE("peer-crl-file", "", "Path to the peer certificate revocation list file."),
    EXPERIMENTAL_PEER_SKIP_CLIENT_SAN_VERIFICATION("experimental-peer-skip-client-san-verification", "false",
        "Skip verification of SAN field in client certificate for peer connections."),
    SELF_SIGNED_CERT_VALIDITY("self-signed-cert-validity", "1",
        "The validity period of the client and peer certificates that are automatically generated by etcd when "
            + "you specify ClientAutoTLS and PeerAutoTLS, the unit is year, and the default is 1."),
    CIPHER_SUITES("cipher-suites", "", "Comma-separated list of supported TLS cipher suites between "
        + "client/server and peers (Go's names, as etcd takes them; empty: the JDK's defaults)."),
    TLS_MIN_VERSION("tls-min-version", "TLS1.2",
        "Minimum TLS version supported by etcd. Possible values: TLS1.2, TLS1.3."),
    TLS_MAX_VERSION("tls-max-version", "",
        "Maximum TLS version supported by etcd. Possible values: TLS1.2, TLS1.3 (empty: the highest, TLS1.3)."),
    AUTH_TOKEN("auth-token", "simple",
        "Specify a v3 authentication token type and its options ('simple' or 'jwt'), e.g. "
            + "'jwt,pub-key=<path>,priv-key=<path>,sign-method=RS256,ttl=5m'."),
    BCRYPT_COST("bcrypt-cost", "10",
        "Specify the cost / strength of the bcrypt algorithm for hashing auth passwords. Valid values are between "
            + "4 and 31."),
    AUTH_TOKEN_TTL("auth-token-ttl", "300", "Time (in seconds) of the auth-token-ttl.");

    private final String flagName;
    private final String defaultValue;
    private final String help;

    Flag(String flagName, String defaultValue, String help) {
        this.flagName = flagName;
        this.defaultValue = defaultValue;
        this.help = help;
    }

    /** The name without dashes, e.g. {@code data-dir}. */
    public String flagName() {
        return flagName;
    }

    /** etcd's default, as the flag would spell it; empty when derived from other flags. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String help() {
        return help;
    }

    /** Whether this is a boolean flag (Go's {@code -flag} without a value means true). */
    public boolean isBool() {
        return "true".equals(defaultValue) || "false".equals(defaultValue);
    }

    /** The environment variable, e.g. {@code ETCD_DATA_DIR}. */
    public String envName() {
        return "ETCD_" + flagName.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static Optional<Flag> byName(String name) {
        for (Flag f : values()) {
            if (f.flagName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public static Optional<Flag> byEnvName(String env) {
        for (Flag f : values()) {
            if (f.envName().equals(env)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
