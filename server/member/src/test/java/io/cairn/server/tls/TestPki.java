package io.cairn.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway PKI for TLS tests, generated with BouncyCastle into a directory as PEM files, the way an operator
 * would make one with cfssl or openssl: CAs (RSA-2048, self-signed) and certificates they sign (ECDSA P-256 by
 * default) for servers, clients and peers, with SANs {@code 127.0.0.1} and {@code localhost} unless told
 * otherwise, and CRLs revoking chosen certificates. Keys are written as PKCS#8 ({@code PRIVATE KEY}) unless
 * another format is asked for. Part of the server's test-jar (tools' tests use it too). Not thread-safe.
 *
 * <pre>
 *   TestPki pki = new TestPki(dir);
 *   TestPki.Ca ca = pki.ca("ca");
 *   TestPki.Issued server = pki.issue(ca, "m1").cn("m1").server().client().write();
 *   Path crl = pki.crl(ca, "crl", server);
 * </pre>
 */
public final class TestPki {
    /** How a private key is encoded in its PEM file. */
    public enum KeyFormat {
        /** {@code PRIVATE KEY}: what cfssl and {@code openssl genpkey} write. */
        PKCS8,
        /** {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1): {@code openssl genrsa/ecparam}. */
        TRADITIONAL
    }

    /** A CA: its certificate file and what signs with it. */
    public record Ca(String name, Path cert, X509Certificate certificate, PrivateKey key) {
    }

    /** An issued certificate: its files, and the objects they hold. */
    public record Issued(String name, Path cert, Path key, X509Certificate certificate, PrivateKey privateKey) {
        /** The certificate's serial number, as etcd prints a revoked one. */
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** A new self-signed RSA-2048 CA valid for ten years, written to {@code <name>.pem}. */
    public Ca ca(String name) {
        try {
            KeyPair pair = rsaKeys();
            X500Name subject = new X500Name("CN=" + name + ",O=Cairn test PKI");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = convert(b.build(signer(pair.getPrivate())));
            Path file = dir.resolve(name + ".pem");
            Files.writeString(file, pem(cert));
            return new Ca(name, file, cert, pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a certificate {@code name} ({@code <name>.pem}, {@code <name>-key.pem}) signed by {@code ca}. */
    public Spec issue(Ca ca, String name) {
        return new Spec(ca, name);
    }

    /** A CRL from {@code ca} revoking {@code revoked}, written to {@code <name>.pem}. */
    public Path crl(Ca ca, String name, Issued... revoked) {
        try {
            Instant now = Instant.now();
            JcaX509v2CRLBuilder b = new JcaX509v2CRLBuilder(ca.certificate(), Date.from(now));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (Issued i : revoked) {
                b.addCRLEntry(i.serial(), Date.from(now), CRLReason.keyCompromise);
            }
            X509CRLHolder crl = b.build(signer(ca.key()));
            Path file = dir.resolve(name + ".pem");
            Files.writeString(file, pem(crl));
            return file;
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK TLS context presenting {@code identity} (none when null) and trusting {@code trusted}. */
    public static SSLContext sslContext(Ca trusted, Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (identity != null) {
                keys.setKeyEntry("me", identity.privateKey(), new char[0],
                    new X509Certificate[] {identity.certificate()});
            }
            kmf.init(keys, new char[0]);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return c;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code from}'s files over {@code to}'s paths atomically (rename), as an operator rotating files. */
    public static void replace(Issued from, Path certTarget, Path keyTarget) {
        try {
            Path certTmp = Files.createTempFile(certTarget.getParent(), "rotate", ".pem");
            Path keyTmp = Files.createTempFile(keyTarget.getParent(), "rotate", ".pem");
            Files.copy(from.cert(), certTmp, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(from.key(), keyTmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(keyTmp, keyTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(certTmp, certTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a certificate will be; {@link #write()} makes it. */
    public final class Spec {
        private final Ca ca;
        private final String name;
        private String cn;
        private final List<GeneralName> sans = new ArrayList<>();
        private boolean defaultSans = true;
        private final List<KeyPurposeId> usages = new ArrayList<>();
        private boolean rsa;
        private KeyFormat format = KeyFormat.PKCS8;

        private Spec(Ca ca, String name) {
            this.ca = ca;
            this.name = name;
            this.cn = name;
        }

        public Spec cn(String commonName) {
            this.cn = commonName;
            return this;
        }

        /** Replaces the default SANs ({@code 127.0.0.1}, {@code localhost}) with these IPs and DNS names. */
        public Spec sans(String... hosts) {
            defaultSans = false;
            for (String h : hosts) {
                sans.add(CertificateRules.isIpLiteral(h) ? new GeneralName(GeneralName.iPAddress, h)
                    : new GeneralName(GeneralName.dNSName, h));
            }
            return this;
        }

        /** TLS server authentication (a member's client or peer listener). */
        public Spec server() {
            usages.add(KeyPurposeId.id_kp_serverAuth);
            return this;
        }

        /** TLS client authentication (etcdctl, or a peer dialing). */
        public Spec client() {
            usages.add(KeyPurposeId.id_kp_clientAuth);
            return this;
        }

        /** An RSA-2048 key instead of ECDSA P-256. */
        public Spec rsa() {
            this.rsa = true;
            return this;
        }

        public Spec keyFormat(KeyFormat keyFormat) {
            this.format = keyFormat;
            return this;
        }

        public Issued write() {
            try {
                KeyPair pair = rsa ? rsaKeys() : ecKeys();
                Instant now = Instant.now();
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name("CN=" + cn + ",O=Cairn test PKI"), pair.getPublic());
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                if (!usages.isEmpty()) {
                    b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(usages.toArray(new KeyPurposeId[0])));
                }
                b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.certificate()));
                List<GeneralName> names = new ArrayList<>(sans);
                if (defaultSans) {
                    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
                }
                if (!names.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
                }
                X509Certificate cert = convert(b.build(signer(ca.key())));
                Path certFile = dir.resolve(name + ".pem");
                Path keyFile = dir.resolve(name + "-key.pem");
                Files.writeString(certFile, pem(cert));
                Files.writeString(keyFile, format == KeyFormat.PKCS8
                    ? pem(new JcaPKCS8Generator(pair.getPrivate(), null)) : traditional(pair.getPrivate()));
                return new Issued(name, certFile, keyFile, cert, pair.getPrivate());
            } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
            .build(key);
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /**
     * PKCS#1 for RSA; for EC, SEC1 with the curve named inside, as openssl writes it (the JDK's encoding leaves the
     * curve to the PKCS#8 wrapper, so converting it as is would lose it).
     */
    private static String traditional(PrivateKey key) throws IOException {
        if (!key.getAlgorithm().equals("EC")) {
            return pem(key);
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey named = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", named.getEncoded()));
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /** The text of a PEM file, for tests that corrupt or combine files. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
