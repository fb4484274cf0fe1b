package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtTokensTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);

    private Path pem(String name, Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(object);
        }
        return Files.writeString(dir.resolve(name), out.toString());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void rsaTokensCarryUserRevisionAndExpiryAndVerifyOnlyMembersAcceptThem() throws Exception {
        KeyPair kp = rsa();
        Path priv = pem("priv.pem", kp.getPrivate());
        Path pub = pem("pub.pem", kp.getPublic());
        JwtTokens signer = JwtTokens.of("RS256", JwtKeys.load("RS256", Optional.of(pub), Optional.of(priv)), TTL,
            wallMillis::get);
        String token = signer.assign("alice", 7, 100, "");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"username\":\"alice\"").contains("\"revision\":7")
            .contains("\"exp\":" + (wallMillis.get() + TTL.toMillis()) / 1000);
        assertThat(signer.info(token, 99)).as("the token's own revision counts").contains(new AuthInfo("alice", 7));

        JwtTokens verifier = JwtTokens.of("RS256", JwtKeys.load("RS256", Optional.of(pub), Optional.empty()), TTL,
            wallMillis::get);
        assertThat(verifier.canSign()).isFalse();
        assertThat(verifier.info(token, 1)).contains(new AuthInfo("alice", 7));
        assertThatThrownBy(() -> verifier.assign("alice", 7, 1, "")).hasMessage(JwtTokens.VERIFY_ONLY);

        wallMillis.addAndGet(TTL.toMillis() + 1000);
        assertThat(signer.info(token, 7)).as("expired").isEmpty();
    }

    @Test
    void tamperedForeignOrOtherAlgorithmTokensAreRefused() throws Exception {
        KeyPair kp = rsa();
        JwtKeys keys = JwtKeys.load("RS256", Optional.empty(), Optional.of(pem("priv.pem",
            new JcaPKCS8Generator(kp.getPrivate(), null))));
        JwtTokens rs256 = JwtTokens.of("RS256", keys, TTL, wallMillis::get);
        JwtTokens rs512 = JwtTokens.of("RS512", keys, TTL, wallMillis::get);
        JwtTokens stranger = JwtTokens.of("RS256", JwtKeys.load("RS256", Optional.empty(),
            Optional.of(pem("other.pem", rsa().getPrivate()))), TTL, wallMillis::get);
        String token = rs256.assign("alice", 3, 1, "");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
            "{\"username\":\"root\",\"revision\":3,\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8)) + "."
            + parts[2];
        assertThat(rs256.info(forged, 3)).isEmpty();
        assertThat(rs512.info(token, 3)).as("another sign-method").isEmpty();
        assertThat(stranger.info(token, 3)).as("another key").isEmpty();
        assertThat(rs256.info("not.a.jwt", 3)).isEmpty();
        assertThat(rs256.info(token, 3)).isPresent();
    }

    /** The key as {@code openssl ecparam -genkey} writes it: SEC1 with the curve, and the public key or not. */
    private Path sec1(String name, KeyPair kp, boolean withPublicKey) throws IOException {
        ECPrivateKey priv = (ECPrivateKey) kp.getPrivate();
        ASN1Encodable curve = PrivateKeyInfo.getInstance(priv.getEncoded()).getPrivateKeyAlgorithm().getParameters();
        var sec1 = withPublicKey ? new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(),
            SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).getPublicKeyData(), curve)
            : new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(), curve);
        return pem(name, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    @Test
    void ecdsaKeysInSec1FormDeriveTheirPublicKeyAndMismatchedKeysAreRefused() throws Exception {
        KeyPair kp = ec();
        Path priv = sec1("ec.pem", kp, false);
        assertThat(Files.readString(priv)).contains("BEGIN EC PRIVATE KEY");
        assertThat(JwtKeys.load("ES256", Optional.of(pem("ec.pub", kp.getPublic())),
            Optional.of(sec1("full.pem", kp, true))).publicKey().getEncoded()).isEqualTo(kp.getPublic().getEncoded());
        JwtKeys keys = JwtKeys.load("ES256", Optional.empty(), Optional.of(priv));
        assertThat(keys.publicKey().getEncoded()).isEqualTo(kp.getPublic().getEncoded());
        JwtTokens es = JwtTokens.of("ES256", keys, TTL, wallMillis::get);
        assertThat(es.info(es.assign("bob", 2, 1, ""), 2)).contains(new AuthInfo("bob", 2));

        Path otherPub = pem("other.pub", ec().getPublic());
        assertThatThrownBy(() -> JwtKeys.load("ES256", Optional.of(otherPub), Optional.of(priv)))
            .hasMessageContaining("don't match");
        assertThatThrownBy(() -> JwtTokens.of("RS256", keys, TTL, wallMillis::get))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hmacTokensUseTheWholePrivateKeyFileAsSecret() throws Exception {
        Path secret = Files.write(dir.resolve("secret"), "0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.US_ASCII));
        JwtTokens hs = JwtTokens.of("HS256", JwtKeys.load("HS256", Optional.empty(), Optional.of(secret)), TTL,
            wallMillis::get);
        assertThat(hs.info(hs.assign("carol", 4, 1, ""), 4)).contains(new AuthInfo("carol", 4));
        assertThat(hs.newPrefix()).isEmpty();
    }
}
