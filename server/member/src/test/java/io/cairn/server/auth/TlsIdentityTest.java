package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class TlsIdentityTest {
    private static X509Certificate certificate(String subject) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name(subject);
        Date now = new Date();
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, now, new Date(now.getTime() + 60_000),
            name, kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    @Test
    void theCommonNameOfTheSubjectNamesTheUser() throws Exception {
        assertThat(TlsIdentity.commonName(certificate("CN=alice,O=cairn"))).contains("alice");
        assertThat(TlsIdentity.commonName(certificate("CN=a\\,b,O=cairn"))).as("no escaping").contains("a,b");
        assertThat(TlsIdentity.commonName(certificate("O=cairn"))).isEmpty();
        assertThat(TlsIdentity.commonName((javax.net.ssl.SSLSession) null)).isEmpty();
    }
}
