package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.tls.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port's TLS knobs on in-process members: --tls-min-version/--tls-max-version and --cipher-suites take
 * effect, a replaced certificate is served to new connections, --auto-tls serves a generated certificate that
 * etcdctl accepts with --insecure-skip-tls-verify, and http:// and https:// share one port.
 */
class ClientTlsOptionsTest {
    private static final String ECDSA_128 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String ECDSA_256 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Ca ca;
    static TestPki.Issued server;

    @BeforeAll
    static void pki() {
        pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("ca");
        server = pki.issue(ca, "server").cn("server-1").server().write();
    }

    private static TestMember httpsMember(String name, Path cert, Path key, String... more) {
        String[] base = {"--listen-client-urls", "https://127.0.0.1:0", "--advertise-client-urls",
            "https://127.0.0.1:0", "--cert-file", cert.toString(), "--key-file", key.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return TestMember.start(dir.resolve(name), "rocksdb", all);
    }

    /** A TLS handshake with the member, trusting our CA; the session, or the handshake's failure. */
    private static SSLSession handshake(TestMember m, String protocol, String suite) throws IOException {
        SSLContext ctx = TestPki.sslContext(ca, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", m.server.port())) {
            s.setSoTimeout(5000);
            s.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                s.setEnabledCipherSuites(new String[] {suite});
            }
            s.startHandshake();
            return s.getSession();
        }
    }

    private static String served(TestMember m) throws IOException {
        X509Certificate leaf = (X509Certificate) handshake(m, "TLSv1.3", null).getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }

    @Test
    void maxVersionAndCipherSuitesRestrictTheHandshake() throws Exception {
        try (TestMember m = httpsMember("ciphers", server.cert(), server.key(), "--tls-max-version", "TLS1.2",
            "--cipher-suites", ECDSA_128)) {
            assertThatThrownBy(() -> handshake(m, "TLSv1.3", null)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> handshake(m, "TLSv1.2", ECDSA_256)).isInstanceOf(IOException.class);
            SSLSession ok = handshake(m, "TLSv1.2", ECDSA_128);
            assertThat(ok.getProtocol()).isEqualTo("TLSv1.2");
            assertThat(ok.getCipherSuite()).isEqualTo(ECDSA_128);
            assertThat(EtcdctlProcess.run(m.endpoint(), "--cacert=" + ca.cert(), "put", "k", "v")).contains("OK");
        }
    }

    @Test
    void minVersionOnePointThreeRefusesOnePointTwo() throws Exception {
        try (TestMember m = httpsMember("tls13", server.cert(), server.key(), "--tls-min-version", "TLS1.3")) {
            assertThatThrownBy(() -> handshake(m, "TLSv1.2", null)).isInstanceOf(IOException.class);
            assertThat(handshake(m, "TLSv1.3", null).getProtocol()).isEqualTo("TLSv1.3");
            assertThat(EtcdctlProcess.run(m.endpoint(), "--cacert=" + ca.cert(), "put", "k", "v")).contains("OK");
        }
    }

    @Test
    void aReplacedCertificateIsServedToNewConnections() throws Exception {
        TestPki.Issued next = pki.issue(ca, "server-next").cn("server-2").server().write();
        Path cert = dir.resolve("live-cert.pem");
        Path key = dir.resolve("live-key.pem");
        TestPki.replace(server, cert, key);
        try (TestMember m = httpsMember("reload", cert, key)) {
            assertThat(served(m)).contains("CN=server-1");
            TestPki.replace(next, cert, key);
            assertThat(served(m)).contains("CN=server-2");
            assertThat(EtcdctlProcess.run(m.endpoint(), "--cacert=" + ca.cert(), "put", "k", "v")).contains("OK");
        }
    }

    @Test
    void aMissingCertificateStopsTheMemberAtStartWithTheFlagAndFileNamed() throws Exception {
        Path log = dir.resolve("missing.log");
        Path missing = dir.resolve("nope.pem");
        ServerProcess p = ServerProcess.spawn("https://127.0.0.1:1", log, List.of("--data-dir",
            dir.resolve("missing").toString(), "--listen-client-urls", "https://127.0.0.1:0",
            "--advertise-client-urls", "https://127.0.0.1:0", "--listen-peer-urls", "http://127.0.0.1:0",
            "--cert-file", missing.toString(), "--key-file", server.key().toString()));
        assertThat(p.awaitExit()).isEqualTo(1);
        String out = Files.readString(log);
        assertThat(out).contains("cairn: --cert-file: open " + missing + ": no such file or directory")
            .doesNotContain("\tat ");
        assertThat(dir.resolve("missing").resolve("member")).doesNotExist();
    }

    @Test
    void autoTlsServesAGeneratedCertificateAndHttpSharesThePort() throws Exception {
        Path data = dir.resolve("auto");
        try (TestMember m = TestMember.start(data, "rocksdb", "--listen-client-urls",
            "https://127.0.0.1:0,http://127.0.0.1:0", "--advertise-client-urls", "https://127.0.0.1:0", "--auto-tls")) {
            assertThat(m.server.addresses()).hasSize(1);
            assertThat(data.resolve("fixtures/client/cert.pem")).exists();
            assertThat(Files.readString(data.resolve("fixtures/client/key.pem"))).contains("PRIVATE KEY");
            EtcdctlProcess.Result verified = EtcdctlProcess.runAny(m.endpoint(), "--cacert=" + ca.cert(),
                "--dial-timeout=1s", "--command-timeout=1s", "put", "k", "x");
            assertThat(verified.exitCode()).as(verified.output()).isNotZero();
            // etcdctl 3.4 needs both flags for an https endpoint without --cacert, against etcd too
            assertThat(EtcdctlProcess.run(m.endpoint(), "--insecure-transport=false", "--insecure-skip-tls-verify",
                "put", "auto", "tls")).contains("OK");
            String plain = "http://127.0.0.1:" + m.server.port();
            assertThat(EtcdctlProcess.run(plain, "get", "auto", "--print-value-only")).isEqualTo("tls\n");
        }
    }
}
