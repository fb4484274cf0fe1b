package io.cairn.server.peer;

import static io.cairn.server.peer.PeerFixture.apps;
import static io.cairn.server.peer.PeerFixture.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.pb.SnapshotMetadata;
import io.cairn.server.config.ConfigLoader;
import io.cairn.server.tls.LogCapture;
import io.cairn.server.tls.PeerTls;
import io.cairn.server.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer transport over TLS (etcd's --peer-* flags): mutual TLS carries streams, snapshots and DISCOVER; a
 * certificate from another CA, a revoked one, or one with another CN than --peer-cert-allowed-cn is refused,
 * and both ends log why.
 */
class PeerTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX = PeerLimits.DEFAULTS.maxFrameBytes();

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Ca ca;
    static TestPki.Issued m1;
    static TestPki.Issued m2;
    static TestPki.Issued outsider;
    static TestPki.Issued intruder;
    static TestPki.Issued revoked;
    static Path crl;
    private final PeerFixture fixture = new PeerFixture();
    private final PeerRecorder ra = new PeerRecorder();
    private final PeerRecorder rb = new PeerRecorder();

    @BeforeAll
    static void pki() {
        pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("ca");
        TestPki.Ca otherCa = pki.ca("other-ca");
        m1 = pki.issue(ca, "m1").cn("cairn-peer").server().client().write();
        m2 = pki.issue(ca, "m2").cn("cairn-peer").server().client().write();
        outsider = pki.issue(otherCa, "outsider").cn("cairn-peer").server().client().write();
        intruder = pki.issue(ca, "intruder").cn("intruder").server().client().write();
        revoked = pki.issue(ca, "revoked").cn("cairn-peer").server().client().write();
        crl = pki.crl(ca, "crl", revoked);
    }

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    /** The security a member started with these peer TLS files (and {@code more} flags) gets. */
    private static PeerSecurity security(TestPki.Issued cert, String... more) {
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.resolve("data-" + cert.name()).toString(),
            "--listen-peer-urls", "https://127.0.0.1:0", "--peer-cert-file", cert.cert().toString(),
            "--peer-key-file", cert.key().toString(), "--peer-trusted-ca-file", ca.cert().toString(),
            "--peer-client-cert-auth"));
        args.addAll(List.of(more));
        return PeerTls.forConfig(((ConfigLoader.Run) ConfigLoader.load(args.toArray(String[]::new), Map.of()))
            .config());
    }

    private PeerTransport start(long id, PeerRecorder r, PeerSecurity security) {
        return fixture.start(id, r, 0, s -> s.withSecurity(security));
    }

    private static URI https(PeerTransport t) {
        return URI.create("https://127.0.0.1:" + t.boundAddresses().get(0).getPort());
    }

    @Test
    void mutualTlsCarriesStreamsAndSnapshotsBothWays() {
        PeerTransport a = start(1, ra, security(m1));
        PeerTransport b = start(2, rb, security(m2));
        a.addPeer(2, List.of(https(b)));
        b.addPeer(1, List.of(https(a)));
        a.send(apps(1, 2, 0, 100));
        b.send(apps(2, 1, 0, 100));
        await().atMost(WAIT).until(() -> rb.received.size() == 100 && ra.received.size() == 100);
        assertThat(rb.indexesFrom(1)).isEqualTo(range(0, 100));
        assertThat(ra.indexesFrom(2)).isEqualTo(range(0, 100));

        byte[] image = new byte[3 << 20];
        ra.snapshotWriter = (m, out) -> {
            out.write(image);
            return image.length;
        };
        a.send(List.of(Message.newBuilder().setType(MessageType.MsgSnap).setFrom(1).setTo(2).setTerm(2)
            .setSnapshot(Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(7).setTerm(2)))
            .build()));
        await().atMost(WAIT).until(() -> !rb.receipts.isEmpty());
        assertThat(rb.receipts.peek().bytes()).isEqualTo(image.length);
        assertThat(a.activePeers()).containsExactly(2L);
    }

    @Test
    void httpAndHttpsListenersOfOneMemberEachServeTheirOwnScheme() {
        int plainPort = PeerFixture.freePort();
        int tlsPort = PeerFixture.freePort();
        PeerSecurity mixed = PeerTls.forConfig(((ConfigLoader.Run) ConfigLoader.load(new String[] {"--data-dir",
            dir.resolve("data-mixed").toString(), "--listen-peer-urls", "http://127.0.0.1:" + plainPort
                + ",https://127.0.0.1:" + tlsPort, "--peer-cert-file", m1.cert().toString(), "--peer-key-file",
            m1.key().toString(), "--peer-trusted-ca-file", ca.cert().toString(), "--peer-client-cert-auth"},
            Map.of())).config());
        List<InetSocketAddress> both = List.of(new InetSocketAddress("127.0.0.1", plainPort),
            new InetSocketAddress("127.0.0.1", tlsPort));
        fixture.start(1, ra, 0, s -> new PeerSettings(s.localId(), s.clusterId(), both, s.limits(), s.isRemoved(),
            s.isMember(), s.inbound(), s.reporter(), s.snapshots(), s.listener(), mixed));
        PeerRecorder rc = new PeerRecorder();
        PeerTransport plain = fixture.start(2, rb, 0, s -> s);
        PeerTransport secure = start(3, rc, security(m2));
        plain.addPeer(1, List.of(URI.create("http://127.0.0.1:" + plainPort)));
        secure.addPeer(1, List.of(URI.create("https://127.0.0.1:" + tlsPort)));
        plain.send(apps(2, 1, 0, 10));
        secure.send(apps(3, 1, 0, 10));
        await().atMost(WAIT).until(() -> ra.received.size() == 20);
        assertThat(ra.indexesFrom(2)).isEqualTo(range(0, 10));
        assertThat(ra.indexesFrom(3)).isEqualTo(range(0, 10));
    }

    @Test
    void aPeerWithACertificateFromAnotherCaIsRefusedAndBothEndsLogWhy() {
        try (LogCapture log = LogCapture.of(PeerTls.class)) {
            PeerTransport b = start(2, rb, security(m2));
            PeerTransport a = start(1, ra, security(outsider));
            a.addPeer(2, List.of(https(b)));
            a.send(apps(1, 2, 0, 5));
            await().atMost(WAIT).until(() -> log.has("WARN rejected connection", "unable to find valid "
                + "certification path") && log.has("WARN TLS handshake with peer failed", "remote-url=" + https(b)));
            assertThat(rb.received).isEmpty();
            assertThat(a.isActive(2)).isFalse();
        }
    }

    @Test
    void aCertificateWithAnotherCnThanTheAllowedOneIsRefusedWithTheReasonOnBothEnds() {
        PeerTransport b = start(2, rb, security(m2, "--peer-cert-allowed-cn", "cairn-peer"));
        PeerTransport a = start(1, ra, security(intruder));
        a.addPeer(2, List.of(https(b)));
        a.send(apps(1, 2, 0, 5));
        await().atMost(WAIT).until(() -> !ra.refusals.isEmpty() && !rb.refusals.isEmpty());
        assertThat(rb.refusals.peek().reason()).contains("CommonName \"intruder\"")
            .contains("allowed CN \"cairn-peer\"");
        assertThat(rb.refusals.peek().byLocal()).isTrue();
        assertThat(ra.refusals.peek().reason()).isEqualTo(rb.refusals.peek().reason());
        assertThat(ra.refusals.peek().byLocal()).isFalse();
        assertThat(rb.received).isEmpty();

        PeerTransport c = start(3, new PeerRecorder(), security(m1));
        c.addPeer(2, List.of(https(b)));
        c.send(apps(3, 2, 0, 5));
        await().atMost(WAIT).until(() -> rb.received.size() == 5);
    }

    @Test
    void aRevokedCertificateIsRefused() {
        PeerTransport b = start(2, rb, security(m2, "--peer-crl-file", crl.toString()));
        PeerTransport a = start(1, ra, security(revoked));
        a.addPeer(2, List.of(https(b)));
        a.send(apps(1, 2, 0, 5));
        await().atMost(WAIT).until(() -> !ra.refusals.isEmpty());
        assertThat(ra.refusals.peek().reason())
            .contains("transport: certificate serial " + revoked.serial().toString(16) + " revoked");
        assertThat(rb.received).isEmpty();
    }

    @Test
    void aDialerWhoseCertificateDoesNotNameItsAddressIsRefusedUnlessSanVerificationIsSkipped() {
        TestPki.Issued elsewhere = pki.issue(ca, "elsewhere").cn("cairn-peer").sans("10.9.8.7").server().client()
            .write();
        PeerTransport b = start(2, rb, security(m2));
        PeerTransport a = start(1, ra, security(elsewhere));
        a.addPeer(2, List.of(https(b)));
        await().atMost(WAIT).until(() -> !ra.refusals.isEmpty());
        assertThat(ra.refusals.peek().reason()).contains("x509: certificate is valid for 10.9.8.7, not 127.0.0.1");

        PeerRecorder rc = new PeerRecorder();
        PeerTransport c = start(3, rc, security(m2, "--experimental-peer-skip-client-san-verification"));
        a.addPeer(3, List.of(https(c)));
        a.send(apps(1, 3, 0, 5));
        await().atMost(WAIT).until(() -> rc.received.size() == 5);
    }

    @Test
    void aRotatedPeerCertificateIsPresentedOnTheNextConnection() {
        Path cert = dir.resolve("rotating.pem");
        Path key = dir.resolve("rotating-key.pem");
        TestPki.replace(intruder, cert, key);
        PeerTransport b = start(2, rb, security(m2, "--peer-cert-allowed-cn", "cairn-peer"));
        PeerTransport a = start(1, ra, security(new TestPki.Issued("rotating", cert, key, intruder.certificate(),
            intruder.privateKey())));
        a.addPeer(2, List.of(https(b)));
        a.send(apps(1, 2, 0, 5));
        await().atMost(WAIT).until(() -> !rb.refusals.isEmpty());
        assertThat(rb.received).isEmpty();

        TestPki.replace(m1, cert, key);
        await().atMost(WAIT).until(() -> a.isActive(2));
        a.send(apps(1, 2, 5, 5));
        await().atMost(WAIT).until(() -> rb.indexesFrom(1).contains(9L));
        assertThat(rb.indexesFrom(1)).containsSubsequence(range(5, 5));
    }

    @Test
    void tlsVersionsAndCipherSuitesApplyToThePeerPort() throws Exception {
        PeerTransport b = start(2, rb, security(m2, "--tls-max-version", "TLS1.2", "--cipher-suites",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        int port = b.boundAddresses().get(0).getPort();
        assertThatThrownBy(() -> handshake(port, "TLSv1.3", null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))
            .isInstanceOf(IOException.class);
        assertThat(handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
            .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    /** A handshake with the peer port as m1 would make it; the suite agreed. */
    private static String handshake(int port, String protocol, String suite) throws IOException {
        try (SSLSocket s = (SSLSocket) TestPki.sslContext(ca, m1).getSocketFactory().createSocket("127.0.0.1",
            port)) {
            s.setSoTimeout(5000);
            s.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                s.setEnabledCipherSuites(new String[] {suite});
            }
            s.startHandshake();
            return s.getSession().getCipherSuite();
        }
    }

    @Test
    void discoveryRunsOverTlsAndRefusesAnOutsider() {
        PeerTransport b = start(2, rb, security(m2));
        assertThat(PeerDiscovery.ask(List.of(https(b)), Duration.ofSeconds(5), MAX, security(m1)))
            .isEqualTo(PeerRecorder.MEMBERSHIP);
        assertThatThrownBy(() -> PeerDiscovery.ask(List.of(https(b)), Duration.ofSeconds(5), MAX,
            security(outsider))).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("could not retrieve cluster information").hasMessageContaining(https(b).toString());
        assertThatThrownBy(() -> PeerDiscovery.ask(List.of(https(b)), Duration.ofSeconds(5), MAX,
            PeerSecurity.PLAINTEXT)).hasMessageContaining("unsupported peer URL scheme https");
    }

    @Test
    void autoTlsEncryptsWithoutVerifying() {
        PeerSecurity autoA = PeerTls.forConfig(((ConfigLoader.Run) ConfigLoader.load(new String[] {"--data-dir",
            dir.resolve("auto-a").toString(), "--listen-peer-urls", "https://127.0.0.1:0", "--peer-auto-tls"},
            Map.of())).config());
        PeerSecurity autoB = PeerTls.forConfig(((ConfigLoader.Run) ConfigLoader.load(new String[] {"--data-dir",
            dir.resolve("auto-b").toString(), "--listen-peer-urls", "https://127.0.0.1:0", "--peer-auto-tls"},
            Map.of())).config());
        PeerTransport a = start(1, ra, autoA);
        PeerTransport b = start(2, rb, autoB);
        a.addPeer(2, List.of(https(b)));
        a.send(apps(1, 2, 0, 10));
        await().atMost(WAIT).until(() -> rb.received.size() == 10);
        assertThat(dir.resolve("auto-a/fixtures/peer/cert.pem")).exists();
    }

    @Test
    void plainTransportsRefuseHttpsUrlsClearly() {
        PeerTransport a = fixture.start(1, ra);
        assertThatThrownBy(() -> a.addPeer(2, List.of(URI.create("https://127.0.0.1:1"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https:// peer URLs need peer TLS");
    }
}
