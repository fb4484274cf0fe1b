package io.cairn.server.tls;

import io.cairn.server.config.ConfigException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's {@code transport.SelfCert} for {@code --auto-tls}/{@code --peer-auto-tls}: a self-signed ECDSA certificate
 * ({@code O=etcd}, server auth, plus client auth for peers) for the hosts of the listen URLs, written as
 * {@code cert.pem} and {@code key.pem} (PKCS#8, mode 0600) in {@code <data-dir>/fixtures/client} or {@code .../peer}.
 * Files already there are reused, as etcd does, so a restarted member keeps its certificate. Stateless.
 */
final class SelfSignedCert {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCert.class);

    /** Where the pair lives. */
    record PemPair(Path cert, Path key) {
    }

    private SelfSignedCert() {
    }

    /**
     * The pair in {@code dir}, generated first if either file is missing.
     *
     * @param hosts the listen URLs whose hosts the certificate names (IP or DNS SANs)
     * @param clientAuth also usable as a client certificate (peers dial each other with it)
     */
    static PemPair ensure(Path dir, List<URI> hosts, int validityYears, boolean clientAuth) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new PemPair(cert, key);
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            X509CertificateHolder holder = certificate(pair, hosts, validityYears, clientAuth);
            write(cert, pem(holder), false);
            LOG.atInfo().addKeyValue("path", cert.toString()).log("created cert file");
            write(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
            LOG.atInfo().addKeyValue("path", key.toString()).log("created key file");
            return new PemPair(cert, key);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new ConfigException("cannot generate a self-signed certificate in " + dir + ": " + e.getMessage());
        }
    }

    private static X509CertificateHolder certificate(KeyPair pair, List<URI> hosts, int validityYears,
        boolean clientAuth) throws IOException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("O=etcd");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
            new BigInteger(128, new SecureRandom()), Date.from(now),
            Date.from(now.plus(Duration.ofDays(365L * validityYears))), subject, pair.getPublic());
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(clientAuth
            ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
            : new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        List<GeneralName> names = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (URI u : hosts) {
            String h = u.getHost();
            if (h != null && seen.add(h)) {
                String bare = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
                names.add(CertificateRules.isIpLiteral(bare) ? new GeneralName(GeneralName.iPAddress, bare)
                    : new GeneralName(GeneralName.dNSName, bare));
            }
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(new GeneralName[0])));
        }
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    }

    static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static void write(Path file, String text, boolean secret) throws IOException {
        Files.deleteIfExists(file);
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
