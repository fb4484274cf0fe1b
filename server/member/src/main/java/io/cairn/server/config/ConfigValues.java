package io.cairn.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw string values of the {@link Flag}s (from flags, environment or YAML) into a {@link ServerConfig}:
 * fills etcd's defaults, derives the data directory and initial cluster from the name, parses numbers, URL lists
 * and Go durations with etcd's error texts. Stateless.
 */
final class ConfigValues {
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final String DEFAULT_ENGINE = "rocksdb";

    private ConfigValues() {
    }

    /**
     * @param given values set explicitly, by flag name
     * @param fromYaml whether they come from a config file (durations are then nanosecond integers, as etcd's
     *     YAML encodes Go durations)
     */
    static ServerConfig build(Map<Flag, String> given, boolean fromYaml) {
        Map<Flag, String> v = new EnumMap<>(Flag.class);
        for (Flag f : Flag.values()) {
            f.defaultValue().ifPresent(d -> v.put(f, d));
        }
        v.putAll(given);
        if (given.containsKey(Flag.LISTEN_CLIENT_URLS) && !given.containsKey(Flag.ADVERTISE_CLIENT_URLS)) {
            throw new ConfigException("--advertise-client-urls is required when --listen-client-urls is set "
                + "explicitly");
        }
        String name = v.get(Flag.NAME);
        v.putIfAbsent(Flag.DATA_DIR, name + ".cairn");
        v.putIfAbsent(Flag.INITIAL_CLUSTER, name + "=" + v.get(Flag.INITIAL_ADVERTISE_PEER_URLS));
        v.putIfAbsent(Flag.BACKEND_ENGINE, DEFAULT_ENGINE);
        return new ServerConfig(
            name,
            Path.of(v.get(Flag.DATA_DIR)),
            urls(Flag.LISTEN_CLIENT_URLS, v),
            urls(Flag.ADVERTISE_CLIENT_URLS, v),
            urls(Flag.LISTEN_PEER_URLS, v),
            urls(Flag.INITIAL_ADVERTISE_PEER_URLS, v),
            cluster(v.get(Flag.INITIAL_CLUSTER)),
            v.get(Flag.INITIAL_CLUSTER_STATE),
            v.get(Flag.INITIAL_CLUSTER_TOKEN),
            int64(Flag.QUOTA_BACKEND_BYTES, v),
            int32(Flag.MAX_REQUEST_BYTES, v),
            int32(Flag.MAX_TXN_OPS, v),
            int64(Flag.SNAPSHOT_COUNT, v),
            Duration.ofMillis(int64(Flag.HEARTBEAT_INTERVAL, v)),
            Duration.ofMillis(int64(Flag.ELECTION_TIMEOUT, v)),
            v.get(Flag.AUTO_COMPACTION_MODE),
            v.get(Flag.AUTO_COMPACTION_RETENTION),
            v.get(Flag.LOG_LEVEL),
            v.get(Flag.LOGGER),
            v.get(Flag.BACKEND_ENGINE),
            duration(Flag.BACKEND_BATCH_INTERVAL, v.get(Flag.BACKEND_BATCH_INTERVAL), fromYaml),
            int32(Flag.BACKEND_BATCH_LIMIT, v),
            walDir(v),
            int32(Flag.MAX_WALS, v),
            int32(Flag.MAX_SNAPSHOTS, v),
            duration(Flag.EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL,
                v.get(Flag.EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL), fromYaml),
            grpc(v, fromYaml),
            clustering(v, fromYaml),
            security(v),
            auth(v));
    }

    private static ServerConfig.Security security(Map<Flag, String> v) {
        TlsInfo client = new TlsInfo(path(v, Flag.CERT_FILE), path(v, Flag.KEY_FILE), path(v, Flag.TRUSTED_CA_FILE),
            bool(Flag.CLIENT_CERT_AUTH, v), path(v, Flag.CLIENT_CRL_FILE), bool(Flag.AUTO_TLS, v), "",
            v.get(Flag.CLIENT_CERT_ALLOWED_HOSTNAME), false);
        TlsInfo peer = new TlsInfo(path(v, Flag.PEER_CERT_FILE), path(v, Flag.PEER_KEY_FILE),
            path(v, Flag.PEER_TRUSTED_CA_FILE), bool(Flag.PEER_CLIENT_CERT_AUTH, v), path(v, Flag.PEER_CRL_FILE),
            bool(Flag.PEER_AUTO_TLS, v), v.get(Flag.PEER_CERT_ALLOWED_CN), v.get(Flag.PEER_CERT_ALLOWED_HOSTNAME),
            bool(Flag.EXPERIMENTAL_PEER_SKIP_CLIENT_SAN_VERIFICATION, v));
        List<String> suites = new ArrayList<>();
        for (String s : v.get(Flag.CIPHER_SUITES).split(",")) {
            if (!s.trim().isEmpty()) {
                suites.add(s.trim());
            }
        }
        return new ServerConfig.Security(client, peer, new TlsPolicy(suites, v.get(Flag.TLS_MIN_VERSION).trim(),
            v.get(Flag.TLS_MAX_VERSION).trim(), int32(Flag.SELF_SIGNED_CERT_VALIDITY, v)));
    }

    /** A file flag: empty means not given. */
    private static Optional<Path> path(Map<Flag, String> v, Flag f) {
        String s = v.get(f).trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    }

    private static ServerConfig.Auth auth(Map<Flag, String> v) {
        long ttlSeconds = int64(Flag.AUTH_TOKEN_TTL, v);
        if (ttlSeconds < 0) {
            throw invalid(Flag.AUTH_TOKEN_TTL, v.get(Flag.AUTH_TOKEN_TTL), "must not be negative");
        }
        return new ServerConfig.Auth(AuthTokenSpec.parse(v.get(Flag.AUTH_TOKEN)), Duration.ofSeconds(ttlSeconds),
            int32(Flag.BCRYPT_COST, v));
    }

    private static ServerConfig.Clustering clustering(Map<Flag, String> v, boolean fromYaml) {
        return new ServerConfig.Clustering(int64(Flag.EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES, v),
            bool(Flag.EXPERIMENTAL_INITIAL_CORRUPT_CHECK, v),
            duration(Flag.EXPERIMENTAL_CORRUPT_CHECK_TIME, v.get(Flag.EXPERIMENTAL_CORRUPT_CHECK_TIME), fromYaml),
            bool(Flag.AUTO_PROMOTE_LEARNERS, v));
    }

    private static ServerConfig.Grpc grpc(Map<Flag, String> v, boolean fromYaml) {
        return new ServerConfig.Grpc(int64(Flag.MAX_CONCURRENT_STREAMS, v),
            duration(Flag.GRPC_KEEPALIVE_MIN_TIME, v.get(Flag.GRPC_KEEPALIVE_MIN_TIME), fromYaml),
            duration(Flag.GRPC_KEEPALIVE_INTERVAL, v.get(Flag.GRPC_KEEPALIVE_INTERVAL), fromYaml),
            duration(Flag.GRPC_KEEPALIVE_TIMEOUT, v.get(Flag.GRPC_KEEPALIVE_TIMEOUT), fromYaml));
    }

    /** etcd's --wal-dir, by default {@code <data-dir>/member/wal}. */
    private static Path walDir(Map<Flag, String> v) {
        String dir = v.get(Flag.WAL_DIR);
        return dir.isEmpty() ? Path.of(v.get(Flag.DATA_DIR), "member", "wal") : Path.of(dir);
    }

    private static ConfigException invalid(Flag f, String value, String why) {
        return new ConfigException("invalid value \"" + value + "\" for flag -" + f.flagName() + ": " + why);
    }

    /** Go's strconv.ParseBool. */
    static boolean bool(Flag f, Map<Flag, String> v) {
        String s = v.get(f).trim();
        return switch (s) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw invalid(f, s, "parse error");
        };
    }

    static long int64(Flag f, Map<Flag, String> v) {
        String s = v.get(f).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(f, s, "parse error");
        }
    }

    static int int32(Flag f, Map<Flag, String> v) {
        long n = int64(f, v);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw invalid(f, v.get(f), "value out of range");
        }
        return (int) n;
    }

    static List<URI> urls(Flag f, Map<Flag, String> v) {
        return urlList(f, v.get(f));
    }

    private static List<URI> urlList(Flag f, String list) {
        List<URI> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            out.add(url(f, t));
        }
        return out;
    }

    private static URI url(Flag f, String s) {
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw invalid(f, s, e.getMessage());
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid(f, s, "URL scheme must be http or https: " + s);
        }
        if (u.getHost() == null || u.getPort() < 0) {
            throw invalid(f, s, "URL address does not have the form \"host:port\": " + s);
        }
        if (u.getPath() != null && !u.getPath().isEmpty()) {
            throw invalid(f, s, "URL must not contain a path: " + s);
        }
        return u;
    }

    /** etcd's {@code name1=url1,name1=url2,name2=url3}: a member may appear with several peer URLs. */
    static Map<String, List<URI>> cluster(String s) {
        Map<String, List<URI>> out = new LinkedHashMap<>();
        for (String part : s.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw invalid(Flag.INITIAL_CLUSTER, s, "member entry \"" + t + "\" is not name=url");
            }
            out.computeIfAbsent(t.substring(0, eq), k -> new ArrayList<>())
                .add(url(Flag.INITIAL_CLUSTER, t.substring(eq + 1)));
        }
        return out;
    }

    /** A Go duration ({@code 100ms}, {@code 1m30s}, {@code 0}); from YAML a bare integer is nanoseconds. */
    static Duration duration(Flag f, String raw, boolean fromYaml) {
        String s = raw.trim();
        if (s.matches("-?\\d+")) {
            long n = Long.parseLong(s);
            if (n == 0 || fromYaml) {
                return Duration.ofNanos(n);
            }
            throw invalid(f, s, "time: missing unit in duration \"" + s + "\"");
        }
        Matcher m = GO_DURATION_PART.matcher(s);
        long nanos = 0;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            nanos += (long) (Double.parseDouble(m.group(1)) * unitNanos(m.group(2)));
            at = m.end();
        }
        if (at != s.length() || s.isEmpty()) {
            throw invalid(f, s, "time: invalid duration \"" + s + "\"");
        }
        return Duration.ofNanos(nanos);
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }
}
