package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The TLS flags: etcd's names, ETCD_* variables, defaults, and etcd's start-up refusals. */
class TlsConfigTest {
    private static final List<String> HTTPS_CLIENT = List.of("--listen-client-urls", "https://127.0.0.1:2379",
        "--advertise-client-urls", "https://127.0.0.1:2379");

    private static ServerConfig run(List<String> args, Map<String, String> env) {
        return ((ConfigLoader.Run) ConfigLoader.load(args.toArray(String[]::new), env)).config();
    }

    private static List<String> plus(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    @Test
    void defaultsAreNoTlsWithEtcdsVersions() {
        ServerConfig c = run(List.of(), Map.of());
        assertThat(c.security()).isEqualTo(ServerConfig.Security.NONE);
        assertThat(c.security().policy().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(c.security().policy().jsseCipherSuites()).isEmpty();
    }

    @Test
    void clientAndPeerFlagsFillTheirTlsInfo() {
        ServerConfig c = run(plus(HTTPS_CLIENT, "--cert-file", "s.pem", "--key-file", "s-key.pem",
            "--trusted-ca-file", "ca.pem", "--client-cert-auth", "--client-crl-file", "crl.pem",
            "--peer-cert-file", "p.pem", "--peer-key-file", "p-key.pem", "--peer-client-cert-auth=true",
            "--peer-cert-allowed-cn", "etcd-peer", "--experimental-peer-skip-client-san-verification"), Map.of());
        TlsInfo client = c.security().client();
        assertThat(client.certFile()).contains(Path.of("s.pem"));
        assertThat(client.keyFile()).contains(Path.of("s-key.pem"));
        assertThat(client.trustedCaFile()).contains(Path.of("ca.pem"));
        assertThat(client.crlFile()).contains(Path.of("crl.pem"));
        assertThat(client.clientCertAuth()).isTrue();
        assertThat(client.requiresClientCert()).isTrue();
        TlsInfo peer = c.security().peer();
        assertThat(peer.certFile()).contains(Path.of("p.pem"));
        assertThat(peer.trustedCaFile()).isEmpty();
        assertThat(peer.clientCertAuth()).isTrue();
        assertThat(peer.allowedCn()).isEqualTo("etcd-peer");
        assertThat(peer.skipClientSanVerify()).isTrue();
        assertThat(peer.autoTls()).isFalse();
    }

    @Test
    void environmentVariablesAsEtcdNamesThem() {
        ServerConfig c = run(HTTPS_CLIENT, Map.of("ETCD_AUTO_TLS", "true", "ETCD_PEER_AUTO_TLS", "1",
            "ETCD_CIPHER_SUITES", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
            "ETCD_TLS_MAX_VERSION", "TLS1.2", "ETCD_PEER_CERT_ALLOWED_HOSTNAME", "peer.example.com"));
        assertThat(c.security().client().autoTls()).isTrue();
        assertThat(c.security().client().canServe()).isTrue();
        assertThat(c.security().peer().autoTls()).isTrue();
        assertThat(c.security().peer().allowedHostname()).isEqualTo("peer.example.com");
        assertThat(c.security().policy().protocols()).containsExactly("TLSv1.2");
        assertThat(c.security().policy().jsseCipherSuites()).contains(List.of("TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    }

    @Test
    void httpsClientUrlsMayMixWithHttpOnes() {
        ServerConfig c = run(List.of("--listen-client-urls", "http://127.0.0.1:2379,https://127.0.0.1:2381",
            "--advertise-client-urls", "https://127.0.0.1:2381", "--cert-file", "s.pem", "--key-file", "k.pem"),
            Map.of());
        assertThat(c.listenClientUrls()).hasSize(2);
        assertThat(c.security().client().requiresClientCert()).isFalse();
    }

    @Test
    void tlsMinimumOfOnePointThreeDropsTwelve() {
        TlsPolicy p = new TlsPolicy(List.of(), "TLS1.3", "", 1);
        assertThat(p.protocols()).containsExactly("TLSv1.3");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
            Arguments.of(HTTPS_CLIENT, "TLS key/cert (--cert-file, --key-file) must be provided for client url "
                + "https://127.0.0.1:2379 with HTTPS scheme"),
            Arguments.of(List.of("--listen-peer-urls", "https://127.0.0.1:2380"),
                "cannot listen on TLS for 127.0.0.1:2380: KeyFile and CertFile are not presented"),
            Arguments.of(List.of("--listen-peer-urls", "http://127.0.0.1:2380,https://127.0.0.1:2380",
                "--peer-auto-tls"), "--listen-peer-urls lists 127.0.0.1:2380 with both http and https"),
            Arguments.of(List.of("--cert-file", "c.pem"), "KeyFile and CertFile must both be present[key: , "
                + "cert: c.pem]"),
            Arguments.of(List.of("--peer-key-file", "k.pem"), "KeyFile and CertFile must both be present[key: k.pem"),
            Arguments.of(List.of("--peer-cert-allowed-cn", "a", "--peer-cert-allowed-hostname", "b"),
                "AllowedCN and AllowedHostname are mutually exclusive (cn=\"a\", hostname=\"b\")"),
            Arguments.of(List.of("--tls-min-version", "TLS1.1"),
                "unexpected TLS version \"TLS1.1\" (must be one of: TLS1.2, TLS1.3)"),
            Arguments.of(List.of("--tls-min-version", "TLS1.3", "--tls-max-version", "TLS1.2"),
                "min version (TLS1.3) is greater than max version (TLS1.2)"),
            Arguments.of(List.of("--cipher-suites", "TLS_FAKE_WITH_NOTHING"),
                "unexpected TLS cipher suite \"TLS_FAKE_WITH_NOTHING\""),
            Arguments.of(List.of("--tls-min-version", "TLS1.3", "--cipher-suites",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                "cipher suites cannot be configured when only TLS1.3 is enabled"),
            Arguments.of(List.of("--self-signed-cert-validity", "0"), "--self-signed-cert-validity must be positive"),
            Arguments.of(List.of("--client-cert-auth=maybe"), "invalid value \"maybe\" for flag -client-cert-auth"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refused(List<String> args, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(args.toArray(String[]::new), Map.of()))
            .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void autoTlsServesHttpsWithoutFiles() {
        ServerConfig c = run(plus(HTTPS_CLIENT, "--auto-tls"), Map.of());
        assertThat(c.security().client().isEmpty()).isTrue();
        assertThat(c.security().client().canServe()).isTrue();
        assertThat(c.security().client().certFile()).isEqualTo(Optional.empty());
    }

    @Test
    void aConfigFileTakesEtcdsTransportSecuritySections(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("etcd.yaml");
        Files.write(file, List.of(
            "listen-client-urls: https://127.0.0.1:2379",
            "advertise-client-urls: https://127.0.0.1:2379",
            "listen-peer-urls: https://127.0.0.1:2380",
            "client-transport-security:",
            "  cert-file: /pki/server.pem",
            "  key-file: /pki/server-key.pem",
            "  client-cert-auth: true",
            "  trusted-ca-file: /pki/ca.pem",
            "  crl-file: /pki/crl.pem",
            "peer-transport-security:",
            "  auto-tls: true",
            "  allowed-cn: etcd-peer",
            "  verify-peer: true",
            "cipher-suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]",
            "tls-min-version: TLS1.2"));
        ConfigLoader.Run run = (ConfigLoader.Run) ConfigLoader.load(new String[] {"--config-file", file.toString()},
            Map.of());
        TlsInfo client = run.config().security().client();
        assertThat(client.certFile()).contains(Path.of("/pki/server.pem"));
        assertThat(client.trustedCaFile()).contains(Path.of("/pki/ca.pem"));
        assertThat(client.crlFile()).contains(Path.of("/pki/crl.pem"));
        assertThat(client.clientCertAuth()).isTrue();
        assertThat(run.config().security().peer().autoTls()).isTrue();
        assertThat(run.config().security().peer().allowedCn()).isEqualTo("etcd-peer");
        assertThat(run.config().security().policy().cipherSuites()).containsExactly(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(run.warnings()).containsExactly("config file " + file
            + ": unsupported key 'peer-transport-security.verify-peer' ignored");
    }

    @Test
    void helpListsTheTlsFlags() {
        String help = ConfigLoader.usage();
        for (String flag : List.of("--cert-file", "--key-file", "--trusted-ca-file", "--client-cert-auth 'false'",
            "--client-crl-file", "--auto-tls", "--peer-cert-file", "--peer-key-file", "--peer-trusted-ca-file",
            "--peer-client-cert-auth", "--peer-crl-file", "--peer-auto-tls", "--peer-cert-allowed-cn",
            "--peer-cert-allowed-hostname", "--cipher-suites", "--tls-min-version 'TLS1.2'", "--tls-max-version")) {
            assertThat(help).contains(flag);
        }
    }
}
