package io.cairn.server.tls;

import io.cairn.server.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files etcd's flags name, as cfssl and openssl write them: certificate chains, private keys
 * (PKCS#1 {@code RSA PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}, with or without an
 * {@code EC PARAMETERS} block), CRLs (PEM or DER). Failures are {@link ConfigException}s worded like Go's errors
 * that etcd prints ({@code open ...: no such file or directory}, {@code tls: failed to find any PEM data in
 * certificate input}, {@code tls: private key does not match public key}), prefixed with the flag. Stateless.
 */
final class Pem {
    private static final byte[] PROBE = "cairn key check".getBytes(StandardCharsets.UTF_8);

    private Pem() {
    }

    /** The certificates of {@code file}, in file order (leaf first for a chain); at least one. */
    static List<X509Certificate> certificates(String flag, Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(read(flag, file)))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new ConfigException(flag + " " + file + ": cannot parse certificate: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new ConfigException(flag + " " + file + ": tls: failed to find any PEM data in certificate input");
        }
        return List.copyOf(out);
    }

    /** The first private key of {@code file}. */
    static PrivateKey privateKey(String flag, Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        boolean sawCertificate = false;
        try (PEMParser parser = new PEMParser(new StringReader(read(flag, file)))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new ConfigException(flag + " " + file + ": encrypted private keys are not supported");
                }
                sawCertificate |= o instanceof X509CertificateHolder;
            }
        } catch (IOException e) {
            throw new ConfigException(flag + " " + file + ": cannot parse private key: " + e.getMessage());
        }
        throw new ConfigException(flag + " " + file + (sawCertificate
            ? ": tls: found a certificate rather than a key in the PEM for the private key"
            : ": tls: failed to find any PEM data in key input"));
    }

    /** The CRL of {@code file}, PEM or DER. */
    static X509CRL crl(String flag, Path file) {
        byte[] bytes = readBytes(flag, file);
        try {
            byte[] der = bytes;
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN")) {
                try (PEMParser parser = new PEMParser(new StringReader(text))) {
                    Object o = parser.readObject();
                    if (!(o instanceof X509CRLHolder h)) {
                        throw new ConfigException(flag + " " + file + ": no X509 CRL in the PEM data");
                    }
                    der = h.getEncoded();
                }
            }
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (IOException | CRLException | CertificateException e) {
            throw new ConfigException(flag + " " + file + ": cannot parse CRL: " + e.getMessage());
        }
    }

    /**
     * Fails unless {@code key} belongs to the leaf certificate: signs a probe with the key and verifies it with the
     * certificate's public key (works for RSA, EC and EdDSA alike).
     */
    static void checkMatch(String flag, PrivateKey key, X509Certificate leaf) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        boolean ok;
        try {
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(PROBE);
            ok = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new ConfigException(flag + ": tls: private key does not match public key");
        }
    }

    private static String read(String flag, Path file) {
        return new String(readBytes(flag, file), StandardCharsets.US_ASCII);
    }

    private static byte[] readBytes(String flag, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(flag + ": open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new ConfigException(flag + ": open " + file + ": " + e.getMessage());
        }
    }
}
