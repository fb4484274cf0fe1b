package io.cairn.server.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The keys of {@code --auth-token jwt} as etcd reads them ({@code jwtOptions.Key}): for HS* the whole
 * {@code priv-key} file is the secret; for RS*, PS* and ES* {@code priv-key} and {@code pub-key} are PEM files
 * (PKCS#1, PKCS#8, SEC1 private keys; SubjectPublicKeyInfo or a certificate for the public key). With both, they
 * must match; with only the private key, the public one is derived from it; with only the public key the member
 * verifies tokens and issues none.
 *
 * @param privateKey the signing key, if any (asymmetric methods)
 * @param publicKey the verifying key (asymmetric methods), else null
 * @param secret the HMAC secret (HS*), else null
 */
public record JwtKeys(Optional<PrivateKey> privateKey, PublicKey publicKey, byte[] secret) {

    /**
     * Reads the key files for {@code method}.
     *
     * @throws IllegalArgumentException when a file is missing, unreadable, of the wrong kind, or the keys differ
     */
    public static JwtKeys load(String method, Optional<Path> publicFile, Optional<Path> privateFile) {
        try {
            if (method.startsWith("HS")) {
                byte[] secret = Files.readAllBytes(privateFile.orElseThrow(() ->
                    new IllegalArgumentException("auth: missing key data")));
                return new JwtKeys(Optional.empty(), null, secret);
            }
            Optional<PrivateKey> priv = privateFile.isPresent() ? Optional.of(readPrivate(privateFile.get()))
                : Optional.empty();
            Optional<PublicKey> pub = publicFile.isPresent() ? Optional.of(readPublic(publicFile.get()))
                : Optional.empty();
            if (priv.isEmpty() && pub.isEmpty()) {
                throw new IllegalArgumentException("auth: missing key data");
            }
            PublicKey derived = priv.isPresent() ? publicOf(priv.get()) : pub.get();
            if (pub.isPresent() && !Arrays.equals(pub.get().getEncoded(), derived.getEncoded())) {
                throw new IllegalArgumentException("auth: public and private keys don't match");
            }
            return new JwtKeys(priv, derived, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read JWT key: " + e.getMessage(), e);
        }
    }

    private static Object readPem(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IllegalArgumentException("no PEM object in " + file);
            }
            return o;
        }
    }

    private static PrivateKey readPrivate(Path file) throws IOException {
        Object o = readPem(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 may leave the public key out
        }
        if (o instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        throw new IllegalArgumentException(file + " holds no private key (" + o.getClass().getSimpleName() + ")");
    }

    private static PublicKey readPublic(Path file) throws IOException {
        Object o = readPem(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof SubjectPublicKeyInfo info) {
            return converter.getPublicKey(info);
        }
        if (o instanceof X509CertificateHolder cert) {
            return converter.getPublicKey(cert.getSubjectPublicKeyInfo());
        }
        if (o instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPublic();
        }
        throw new IllegalArgumentException(file + " holds no public key (" + o.getClass().getSimpleName() + ")");
    }

    /** The public half of {@code key}, in the JDK's own key classes. */
    static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(),
                rsa.getPublicExponent()));
        }
        if (key instanceof ECPrivateKey ec) {
            ECParameterSpec params = ec.getParams();
            ECPoint q = EC5Util.convertSpec(params).getG().multiply(ec.getS()).normalize();
            java.security.spec.ECPoint w = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
                q.getAffineYCoord().toBigInteger());
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
        }
        throw new IllegalArgumentException("unsupported private key algorithm " + key.getAlgorithm());
    }
}
