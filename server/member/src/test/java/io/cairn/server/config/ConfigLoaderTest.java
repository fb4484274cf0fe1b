package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static ServerConfig run(List<String> args, Map<String, String> env) {
        ConfigLoader.Outcome o = ConfigLoader.load(args.toArray(String[]::new), env);
        assertThat(o).isInstanceOf(ConfigLoader.Run.class);
        return ((ConfigLoader.Run) o).config();
    }

    @Test
    void defaultsAreEtcdsWithCairnDataDir() {
        ServerConfig c = run(List.of(), Map.of());
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.dataDir()).isEqualTo(Path.of("default.cairn"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://localhost:2380"));
        assertThat(c.initialCluster()).containsEntry("default", List.of(URI.create("http://localhost:2380")));
        assertThat(c.initialClusterState()).isEqualTo("new");
        assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster");
        assertThat(c.maxRequestBytes()).isEqualTo(1_572_864);
        assertThat(c.maxTxnOps()).isEqualTo(128);
        assertThat(c.snapshotCount()).isEqualTo(100_000);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.electionTimeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(c.backendEngine()).isEqualTo("rocksdb");
        assertThat(c.backendBatchInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.backendBatchLimit()).isEqualTo(10_000);
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.watchProgressNotifyInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.walDir()).isEqualTo(Path.of("default.cairn", "member", "wal"));
        assertThat(c.maxWals()).isEqualTo(5);
        assertThat(c.maxSnapshots()).isEqualTo(5);
        assertThat(c.grpc()).isEqualTo(new ServerConfig.Grpc(4_294_967_295L, Duration.ofSeconds(5),
            Duration.ofHours(2), Duration.ofSeconds(20)));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
            row(List.of("--name", "n1"), Map.of(), c -> c.name(), "n1"),
            row(List.of("--name=n1"), Map.of(), c -> c.dataDir(), Path.of("n1.cairn")),
            row(List.of("-name", "n1"), Map.of(), c -> c.initialCluster().keySet(), java.util.Set.of("n1")),
            row(List.of("--data-dir", "/x"), Map.of(), c -> c.dataDir(), Path.of("/x")),
            row(List.of(), Map.of("ETCD_DATA_DIR", "/env"), c -> c.dataDir(), Path.of("/env")),
            row(List.of(), Map.of("ETCD_NAME", "e1"), c -> c.name(), "e1"),
            row(List.of(), Map.of("ETCD_MAX_TXN_OPS", "7"), c -> c.maxTxnOps(), 7),
            row(List.of("--max-request-bytes", "10"), Map.of(), c -> c.maxRequestBytes(), 10),
            row(List.of("--quota-backend-bytes", "4096"), Map.of(), c -> c.quotaBackendBytes(), 4096L),
            row(List.of("--heartbeat-interval", "50", "--election-timeout", "500"), Map.of(),
                c -> c.electionTimeout(), Duration.ofMillis(500)),
            row(List.of("--backend-batch-interval", "1m30s"), Map.of(), c -> c.backendBatchInterval(),
                Duration.ofSeconds(90)),
            row(List.of("--backend-batch-interval", "0"), Map.of(), c -> c.backendBatchInterval(), Duration.ZERO),
            row(List.of("--backend-engine", "xodus"), Map.of(), c -> c.backendEngine(), "xodus"),
            row(List.of("--experimental-watch-progress-notify-interval", "250ms"), Map.of(),
                c -> c.watchProgressNotifyInterval(), Duration.ofMillis(250)),
            row(List.of("--listen-client-urls", "http://127.0.0.1:1,http://127.0.0.1:2",
                "--advertise-client-urls", "http://a:1"), Map.of(), c -> c.listenClientUrls().size(), 2),
            row(List.of("--initial-cluster", "default=http://a:2380,default=http://b:2380,x=http://c:2380"),
                Map.of(), c -> c.initialCluster().get("default").size(), 2),
            row(List.of("--auto-compaction-mode", "revision", "--auto-compaction-retention", "1000"), Map.of(),
                c -> c.autoCompactionRetention(), "1000"),
            row(List.of("--log-level", "debug"), Map.of("PATH", "/bin"), c -> c.logLevel(), "debug"),
            row(List.of("--wal-dir", "/fast/wal"), Map.of(), c -> c.walDir(), Path.of("/fast/wal")),
            row(List.of(), Map.of("ETCD_MAX_WALS", "0"), c -> c.maxWals(), 0),
            row(List.of("--max-concurrent-streams", "100"), Map.of(), c -> c.grpc().maxConcurrentStreams(), 100L),
            row(List.of("--grpc-keepalive-interval", "30s", "--grpc-keepalive-timeout", "5s"), Map.of(),
                c -> c.grpc().keepaliveInterval().plus(c.grpc().keepaliveTimeout()), Duration.ofSeconds(35)));
    }

    private static Arguments row(List<String> args, Map<String, String> env, Function<ServerConfig, Object> get,
        Object expected) {
        return Arguments.of(args, env, get, expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("accepted")
    void accepted(List<String> args, Map<String, String> env, Function<ServerConfig, Object> get, Object expected) {
        assertThat(get.apply(run(args, env))).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
            Arguments.of(List.of("--bogus"), Map.of(), "flag provided but not defined: -bogus"),
            Arguments.of(List.of("--name"), Map.of(), "flag needs an argument: -name"),
            Arguments.of(List.of("stray"), Map.of(), "'stray' is not a valid flag"),
            Arguments.of(List.of("--max-txn-ops", "x"), Map.of(), "invalid value \"x\" for flag -max-txn-ops"),
            Arguments.of(List.of("--max-txn-ops", "0"), Map.of(), "--max-txn-ops must be positive"),
            Arguments.of(List.of("--heartbeat-interval", "500"), Map.of(), "should be at least as 5 times"),
            Arguments.of(List.of("--initial-cluster-state", "old"), Map.of(), "--initial-cluster-state"),
            Arguments.of(List.of("--log-level", "loud"), Map.of(), "unknown log level loud"),
            Arguments.of(List.of("--logger", "capnslog"), Map.of(), "unknown logger option"),
            Arguments.of(List.of("--auto-compaction-mode", "daily"), Map.of(), "unknown auto-compaction-mode"),
            Arguments.of(List.of("--backend-batch-interval", "100"), Map.of(), "missing unit"),
            Arguments.of(List.of("--backend-batch-interval", "1x"), Map.of(), "invalid duration"),
            Arguments.of(List.of("--backend-batch-limit", "20000000"), Map.of(), "--backend-batch-limit must be in"),
            Arguments.of(List.of("--max-wals", "-1"), Map.of(), "--max-wals must not be negative"),
            Arguments.of(List.of("--max-concurrent-streams", "0"), Map.of(), "--max-concurrent-streams must be in"),
            Arguments.of(List.of("--grpc-keepalive-timeout", "20"), Map.of(), "missing unit"),
            Arguments.of(List.of("--auto-compaction-mode", "revision", "--auto-compaction-retention", "1h"), Map.of(),
                "not a number of revisions"),
            Arguments.of(List.of("--listen-client-urls", "http://a:1"), Map.of(),
                "--advertise-client-urls is required"),
            Arguments.of(List.of("--listen-client-urls", "localhost:2379", "--advertise-client-urls", "http://a:1"),
                Map.of(), "URL scheme must be http or https"),
            Arguments.of(List.of("--listen-client-urls", "http://a", "--advertise-client-urls", "http://a:1"),
                Map.of(), "does not have the form \"host:port\""),
            Arguments.of(List.of("--name", "n1", "--initial-cluster", "other=http://a:2380"), Map.of(),
                "couldn't find local name \"n1\""),
            Arguments.of(List.of("--name", "n1"), Map.of("ETCD_NAME", "n2"),
                "conflicting environment variable \"ETCD_NAME\" is shadowed"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refused")
    void refused(List<String> args, Map<String, String> env, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(args.toArray(String[]::new), env))
            .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void helpAndVersionShortCircuit() {
        assertThat(ConfigLoader.load(new String[] {"--help"}, Map.of())).isInstanceOf(ConfigLoader.Help.class);
        assertThat(ConfigLoader.load(new String[] {"-h"}, Map.of())).isInstanceOf(ConfigLoader.Help.class);
        ConfigLoader.Outcome v = ConfigLoader.load(new String[] {"--version", "--bogus"}, Map.of());
        assertThat(((ConfigLoader.Version) v).text()).contains("etcd API Version: 3.5.");
        assertThat(ConfigLoader.usage()).contains("--listen-client-urls 'http://localhost:2379'");
    }

    @Test
    void unknownEtcdVariablesWarn() {
        ConfigLoader.Run r = (ConfigLoader.Run) ConfigLoader.load(new String[0], Map.of("ETCD_NOPE", "1"));
        assertThat(r.warnings()).containsExactly("unrecognized environment variable ETCD_NOPE=1");
    }

    @Test
    void configFileReplacesFlagsAndEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("etcd.yaml");
        Files.writeString(file, String.join("\n",
            "name: y1",
            "data-dir: /yaml",
            "listen-client-urls: http://127.0.0.1:12379",
            "advertise-client-urls: [http://127.0.0.1:12379, http://127.0.0.2:12379]",
            "initial-advertise-peer-urls: http://127.0.0.1:12380",
            "max-txn-ops: 64",
            "heartbeat-interval: 50",
            "election-timeout: 300",
            "backend-batch-interval: 5000000",
            "enable-v2: false",
            ""));
        ConfigLoader.Run r = (ConfigLoader.Run) ConfigLoader.load(
            new String[] {"--config-file", file.toString(), "--name", "ignored"}, Map.of("ETCD_MAX_TXN_OPS", "9"));
        ServerConfig c = r.config();
        assertThat(c.name()).isEqualTo("y1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/yaml"));
        assertThat(c.maxTxnOps()).isEqualTo(64);
        assertThat(c.advertiseClientUrls()).hasSize(2);
        assertThat(c.initialCluster()).containsEntry("y1", List.of(URI.create("http://127.0.0.1:12380")));
        assertThat(c.backendBatchInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(r.warnings()).anyMatch(w -> w.contains("unsupported key 'enable-v2'"))
            .anyMatch(w -> w.contains("are ignored"));
    }

    @Test
    void configFileFromEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yml");
        Files.writeString(file, "name: fromfile\n");
        ServerConfig c = run(List.of(), Map.of("ETCD_CONFIG_FILE", file.toString()));
        assertThat(c.name()).isEqualTo("fromfile");
    }

    @Test
    void missingConfigFileFails() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config-file", "/nonexistent/x.yaml"}, Map.of()))
            .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read config file");
    }
}
