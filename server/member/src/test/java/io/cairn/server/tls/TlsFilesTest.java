package io.cairn.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.config.ConfigException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading etcd's TLS files (every PEM key format cfssl and openssl write), their errors, and their reloads. */
class TlsFilesTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Ca ca;

    @BeforeAll
    static void pki() {
        pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("ca");
    }

    static Stream<Arguments> keyKinds() {
        return Stream.of(Arguments.of(false, TestPki.KeyFormat.PKCS8, "PRIVATE KEY"),
            Arguments.of(false, TestPki.KeyFormat.TRADITIONAL, "EC PRIVATE KEY"),
            Arguments.of(true, TestPki.KeyFormat.PKCS8, "PRIVATE KEY"),
            Arguments.of(true, TestPki.KeyFormat.TRADITIONAL, "RSA PRIVATE KEY"));
    }

    @ParameterizedTest(name = "rsa={0} {2}")
    @MethodSource("keyKinds")
    void everyKeyFormatLoadsAndMatchesItsCertificate(boolean rsa, TestPki.KeyFormat format, String pemType) {
        TestPki.Spec spec = pki.issue(ca, "kind-" + rsa + "-" + format).cn("server").server().keyFormat(format);
        TestPki.Issued issued = (rsa ? spec.rsa() : spec).write();
        assertThat(TestPki.read(issued.key())).contains("-----BEGIN " + pemType + "-----");
        KeyMaterial keys = KeyMaterial.load("--cert-file", issued.cert(), "--key-file", issued.key());
        assertThat(keys.current().generation()).isEqualTo(1);
        assertThat(keys.current().leaf()).isEqualTo(issued.certificate());
        assertThat(keys.current().key().getAlgorithm()).isEqualTo(rsa ? "RSA" : "EC");
    }

    @Test
    void anEcKeyWithItsParametersBlockLoads() throws Exception {
        TestPki.Issued issued = pki.issue(ca, "ecparam").server().keyFormat(TestPki.KeyFormat.TRADITIONAL).write();
        Files.writeString(issued.key(), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + TestPki.read(issued.key()));
        assertThat(KeyMaterial.load("--cert-file", issued.cert(), "--key-file", issued.key()).current().leaf())
            .isEqualTo(issued.certificate());
    }

    @Test
    void badFilesFailWithTheFlagAndGosWording() throws Exception {
        TestPki.Issued a = pki.issue(ca, "bad-a").server().write();
        TestPki.Issued b = pki.issue(ca, "bad-b").server().write();
        Path missing = dir.resolve("missing.pem");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "not a certificate\n");

        assertThatThrownBy(() -> KeyMaterial.load("--cert-file", missing, "--key-file", a.key()))
            .isInstanceOf(ConfigException.class)
            .hasMessage("--cert-file: open " + missing + ": no such file or directory");
        assertThatThrownBy(() -> KeyMaterial.load("--cert-file", empty, "--key-file", a.key()))
            .hasMessage("--cert-file " + empty + ": tls: failed to find any PEM data in certificate input");
        assertThatThrownBy(() -> KeyMaterial.load("--cert-file", a.cert(), "--key-file", empty))
            .hasMessage("--key-file " + empty + ": tls: failed to find any PEM data in key input");
        assertThatThrownBy(() -> KeyMaterial.load("--cert-file", a.cert(), "--key-file", a.cert()))
            .hasMessageContaining("found a certificate rather than a key");
        assertThatThrownBy(() -> KeyMaterial.load("--peer-cert-file", a.cert(), "--peer-key-file", b.key()))
            .hasMessage("--peer-cert-file/--peer-key-file: tls: private key does not match public key");
        assertThatThrownBy(() -> Pem.crl("--client-crl-file", a.cert()))
            .hasMessageContaining("--client-crl-file").hasMessageContaining("no X509 CRL");
    }

    @Test
    void replacedFilesAreReadOnTheNextCallAndABrokenPairKeepsTheOldOne() {
        TestPki.Issued first = pki.issue(ca, "rot-1").cn("first").server().write();
        TestPki.Issued second = pki.issue(ca, "rot-2").cn("second").server().write();
        TestPki.Issued third = pki.issue(ca, "rot-3").cn("third").server().write();
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live-key.pem");
        TestPki.replace(first, cert, key);
        KeyMaterial keys = KeyMaterial.load("--cert-file", cert, "--key-file", key);
        assertThat(CertificateRules.commonName(keys.current().leaf())).isEqualTo("first");
        assertThat(keys.current().generation()).isEqualTo(1);

        TestPki.replace(second, cert, key);
        KeyMaterial.CertifiedKey now = keys.current();
        assertThat(CertificateRules.commonName(now.leaf())).isEqualTo("second");
        assertThat(now.generation()).isEqualTo(2);
        assertThat(keys.generation(1)).isPresent();
        assertThat(keys.generation(2)).contains(now);

        TestPki.replace(new TestPki.Issued("half", third.cert(), second.key(), third.certificate(),
            second.privateKey()), cert, key);
        assertThat(keys.current()).isEqualTo(now);
        TestPki.replace(third, cert, key);
        assertThat(CertificateRules.commonName(keys.current().leaf())).isEqualTo("third");
        assertThat(keys.current().generation()).isEqualTo(3);
        assertThat(keys.generation(1)).isEmpty();
    }

    @Test
    void theRevocationListNamesRevokedSerialsAndIsReadAgainWhenReplaced() throws Exception {
        TestPki.Issued good = pki.issue(ca, "crl-good").client().write();
        TestPki.Issued bad = pki.issue(ca, "crl-bad").client().write();
        Path crl = pki.crl(ca, "crl-1", bad);
        RevocationList list = RevocationList.load("--client-crl-file", crl);
        assertThat(list.check(List.of(good.certificate(), ca.certificate()))).isEmpty();
        assertThat(list.check(List.of(bad.certificate(), ca.certificate())))
            .contains("transport: certificate serial " + bad.serial().toString(16) + " revoked");

        Path next = pki.crl(ca, "crl-2", good);
        Path tmp = dir.resolve("crl-tmp.pem");
        Files.copy(next, tmp);
        Files.move(tmp, crl, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(list.check(List.of(good.certificate()))).isPresent();
        assertThat(list.check(List.of(bad.certificate()))).isEmpty();

        Files.delete(crl);
        assertThat(list.check(List.of(good.certificate()))).get().asString().contains("cannot read the CRL");
    }

    @Test
    void allowedCnAndHostnameAndTheDialersAddress() {
        TestPki.Issued peer = pki.issue(ca, "rules").cn("etcd-peer").sans("127.0.0.1", "*.cluster.example", "localhost")
            .client().write();
        List<X509Certificate> chain = List.of(peer.certificate());
        assertThat(new CertificateRules(Optional.empty(), "etcd-peer", "", false).check(chain, null)).isEmpty();
        assertThat(new CertificateRules(Optional.empty(), "other", "", false).check(chain, null)).get().asString()
            .contains("client certificate authentication failed").contains("\"etcd-peer\"").contains("\"other\"");
        assertThat(new CertificateRules(Optional.empty(), "", "m1.cluster.example", false).check(chain, null))
            .isEmpty();
        assertThat(new CertificateRules(Optional.empty(), "", "127.0.0.1", false).check(chain, null)).isEmpty();
        assertThat(new CertificateRules(Optional.empty(), "", "a.b.cluster.example", false).check(chain, null))
            .isPresent();
        assertThat(new CertificateRules(Optional.empty(), "", "10.0.0.1", false).check(chain, null)).isPresent();

        CertificateRules san = new CertificateRules(Optional.empty(), "", "", true);
        assertThat(san.check(chain, "127.0.0.1")).isEmpty();
        TestPki.Issued elsewhere = pki.issue(ca, "elsewhere").sans("10.9.8.7").client().write();
        assertThat(san.check(List.of(elsewhere.certificate()), "127.0.0.1"))
            .contains("x509: certificate is valid for 10.9.8.7, not 127.0.0.1");
        TestPki.Issued noSans = pki.issue(ca, "no-sans").sans().client().write();
        assertThat(san.check(List.of(noSans.certificate()), "127.0.0.1")).isEmpty();
    }

    @Test
    void autoTlsWritesAPairOnceAndReusesIt() throws Exception {
        Path fixtures = dir.resolve("data").resolve("fixtures").resolve("peer");
        SelfSignedCert.PemPair pair = SelfSignedCert.ensure(fixtures,
            List.of(URI.create("https://127.0.0.1:2380"), URI.create("https://node1.example:2380")), 1, true);
        assertThat(pair.cert()).isEqualTo(fixtures.resolve("cert.pem"));
        String cert = Files.readString(pair.cert());
        KeyMaterial keys = KeyMaterial.load("--peer-auto-tls", pair.cert(), "--peer-auto-tls", pair.key());
        assertThat(CertificateRules.ips(keys.current().leaf())).containsExactly("127.0.0.1");
        assertThat(CertificateRules.dnsNames(keys.current().leaf())).containsExactly("node1.example");
        assertThat(keys.current().leaf().getSubjectX500Principal().getName()).isEqualTo("O=etcd");
        assertThat(keys.current().leaf().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pair.key()))).isEqualTo("rw-------");

        SelfSignedCert.ensure(fixtures, List.of(URI.create("https://10.0.0.1:2380")), 1, true);
        assertThat(Files.readString(pair.cert())).isEqualTo(cert);
    }
}
