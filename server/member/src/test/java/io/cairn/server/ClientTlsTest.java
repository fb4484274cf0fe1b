package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.hostile.RawHttp2;
import io.cairn.server.tls.TestPki;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member serving https:// with --client-cert-auth, a trusted CA and a CRL, driven by the real etcdctl 3.4
 * (flags and ETCDCTL_* variables), jetcd and plain HTTPS: a certificate from the CA works; none, a revoked one or
 * one from another CA is refused.
 */
class ClientTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Ca ca;
    static TestPki.Issued alice;
    static TestPki.Issued mallory;
    static TestPki.Issued eve;
    static TestMember member;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("ca");
        TestPki.Ca otherCa = pki.ca("other-ca");
        TestPki.Issued server = pki.issue(ca, "server").cn("cairn-server").server().write();
        alice = pki.issue(ca, "alice").cn("alice").client().write();
        mallory = pki.issue(ca, "mallory").cn("mallory").client().write();
        eve = pki.issue(otherCa, "eve").cn("eve").client().write();
        member = startWithClientCertAuth(dir.resolve("data"), server, ca, pki.crl(ca, "crl", mallory));
    }

    /** A member serving https:// only, presenting {@code server}, requiring client certificates from {@code ca}. */
    static TestMember startWithClientCertAuth(Path data, TestPki.Issued server, TestPki.Ca ca, Path crl) {
        return TestMember.start(data, "rocksdb", "--listen-client-urls", "https://127.0.0.1:0",
            "--advertise-client-urls", "https://127.0.0.1:0", "--cert-file", server.cert().toString(),
            "--key-file", server.key().toString(), "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth",
            "--client-crl-file", crl.toString());
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.close();
        }
    }

    private static String[] ctl(TestPki.Issued who, String... args) {
        String[] out = new String[args.length + 3];
        out[0] = "--cacert=" + ca.cert();
        out[1] = "--cert=" + who.cert();
        out[2] = "--key=" + who.key();
        System.arraycopy(args, 0, out, 3, args.length);
        return out;
    }

    @Test
    void etcdctlWithCacertCertAndKeyReadsAndWrites() throws Exception {
        assertThat(member.endpoint()).startsWith("https://127.0.0.1:");
        assertThat(EtcdctlProcess.run(member.endpoint(), ctl(alice, "put", "tls/flags", "v1"))).contains("OK");
        assertThat(EtcdctlProcess.run(member.endpoint(), ctl(alice, "get", "tls/flags")))
            .isEqualTo("tls/flags\nv1\n");
    }

    @Test
    void etcdctlWithTheEnvironmentVariables() throws Exception {
        EtcdctlProcess.Result r = EtcdctlProcess.runAny(member.endpoint(), Map.of("ETCDCTL_CACERT",
            ca.cert().toString(), "ETCDCTL_CERT", alice.cert().toString(), "ETCDCTL_KEY", alice.key().toString()),
            "put", "tls/env", "v2");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(EtcdctlProcess.run(member.endpoint(), ctl(alice, "get", "tls/env", "--print-value-only")))
            .isEqualTo("v2\n");
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        EtcdctlProcess.Result r = EtcdctlProcess.runAny(member.endpoint(), "--cacert=" + ca.cert(),
            "--dial-timeout=1s", "--command-timeout=1s", "put", "tls/anonymous", "x");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertRefused(null);
        assertThat(EtcdctlProcess.run(member.endpoint(), ctl(alice, "get", "tls/anonymous"))).isEmpty();
    }

    @Test
    void aRevokedCertificateIsRefused() throws Exception {
        EtcdctlProcess.Result r = EtcdctlProcess.runAny(member.endpoint(),
            ctl(mallory, "--dial-timeout=1s", "--command-timeout=1s", "put", "tls/revoked", "x"));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertRefused(mallory);
        assertThat(EtcdctlProcess.run(member.endpoint(), ctl(alice, "get", "tls/revoked"))).isEmpty();
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        EtcdctlProcess.Result r = EtcdctlProcess.runAny(member.endpoint(),
            ctl(eve, "--dial-timeout=1s", "--command-timeout=1s", "put", "tls/foreign", "x"));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertRefused(eve);
    }

    @Test
    void theGatewayAndHealthServeHttpsToAVerifiedClient() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(TestPki.sslContext(ca, alice)).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(member.endpoint() + "/health"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"health\":\"true\"");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(member.endpoint() + "/v3/kv/put"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"Z2F0ZXdheQ==\",\"value\":\"dGxz\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(EtcdctlProcess.run(member.endpoint(), ctl(alice, "get", "gateway", "--print-value-only")))
            .isEqualTo("tls\n");
    }

    @Test
    void jetcdOverTls() throws Exception {
        try (Client client = Client.builder().endpoints(member.endpoint()).sslContext(b -> b
            .trustManager(ca.cert().toFile()).keyManager(alice.cert().toFile(), alice.key().toFile())).build()) {
            Jetcd.get(client.getKVClient().put(bs("tls/jetcd"), bs("v3")));
            assertThat(Jetcd.get(client.getKVClient().get(bs("tls/jetcd"))).getKvs().get(0).getValue()
                .toString(StandardCharsets.UTF_8))
                .isEqualTo("v3");
        }
    }

    /** An HTTPS request presenting {@code who} (nothing when null) does not get through. */
    /**
     * An https:// only port serves nothing in clear text: neither clear-text gRPC (which the client port would
     * otherwise serve itself) nor HTTP/1.1 (which it would relay); both connections are closed without an answer.
     */
    @Test
    void clearTextIsRefusedOnAnHttpsOnlyPort() throws Exception {
        int port = member.server.port();
        try (RawHttp2 h2 = RawHttp2.connect(port, Duration.ofSeconds(5))) { // the HTTP/2 preface and SETTINGS
            assertThat(h2.awaitClosedWithoutAnsweringPings()).as("clear-text gRPC connection closed").isTrue();
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).as("HTTP/1.1 connection closed without an answer").isEqualTo(-1);
        }
    }

    private static void assertRefused(TestPki.Issued who) {
        SSLContext tls = TestPki.sslContext(ca, who);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(member.endpoint() + "/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(IOException.class);
    }
}
