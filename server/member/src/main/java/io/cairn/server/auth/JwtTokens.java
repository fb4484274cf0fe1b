package io.cairn.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * etcd's {@code jwt} tokens: a JWS signed with {@code sign-method} whose claims are {@code username},
 * {@code revision} (the auth revision at issue) and {@code exp} (seconds since the epoch, issue time + ttl), so
 * any member with the key verifies them without shared state. A token is valid until {@code exp} (or until the
 * auth revision moves on, which the permission checks refuse as "revision of auth store is old"); nothing is
 * stored, so changing a password or deleting a user needs no bookkeeping here. A member given only a public key
 * verifies tokens but cannot issue them. Thread-safe.
 */
public final class JwtTokens implements TokenProvider {
    /** etcd's {@code ErrVerifyOnly} text (answered with code Unknown). */
    static final String VERIFY_ONLY = "auth: token signing attempted with verify-only key";

    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final Duration ttl;
    private final LongSupplier wallMillis;

    /**
     * @param signer null for a verify-only member
     * @param ttl how long an issued token is valid
     * @param wallMillis the wall clock, in milliseconds since the epoch
     */
    JwtTokens(JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, Duration ttl, LongSupplier wallMillis) {
        this.algorithm = algorithm;
        this.signer = signer;
        this.verifier = verifier;
        this.ttl = ttl;
        this.wallMillis = wallMillis;
    }

    /**
     * Tokens for {@code method} with the given keys ({@link JwtKeys#load} reads them from etcd's PEM files).
     *
     * @throws IllegalArgumentException for a key that does not fit the method
     */
    public static JwtTokens of(String method, JwtKeys keys, Duration ttl, LongSupplier wallMillis) {
        JWSAlgorithm alg = JWSAlgorithm.parse(method);
        try {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                return new JwtTokens(alg, new MACSigner(keys.secret()), new MACVerifier(keys.secret()), ttl,
                    wallMillis);
            }
            if (JWSAlgorithm.Family.RSA.contains(alg)) {
                JWSSigner s = keys.privateKey().map(k -> (JWSSigner) new RSASSASigner(k, true)).orElse(null);
                return new JwtTokens(alg, s, new RSASSAVerifier((RSAPublicKey) keys.publicKey()), ttl, wallMillis);
            }
            if (JWSAlgorithm.Family.EC.contains(alg)) {
                JWSSigner s = keys.privateKey().isEmpty() ? null
                    : new ECDSASigner((ECPrivateKey) keys.privateKey().get());
                return new JwtTokens(alg, s, new ECDSAVerifier((ECPublicKey) keys.publicKey()), ttl, wallMillis);
            }
        } catch (JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("the key does not fit sign-method " + method + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported sign-method " + method);
    }

    /** Whether this member can issue tokens (it has the private key or secret). */
    public boolean canSign() {
        return signer != null;
    }

    @Override
    public Optional<AuthInfo> info(String token, long currentRevision) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.getHeader().getAlgorithm().equals(algorithm) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp != null && wallMillis.getAsLong() >= exp.getTime()) {
                return Optional.empty();
            }
            Object user = claims.getClaim("username");
            Object revision = claims.getClaim("revision");
            if (!(user instanceof String name) || !(revision instanceof Number rev)) {
                return Optional.empty();
            }
            return Optional.of(new AuthInfo(name, rev.longValue()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    @Override
    public String assign(String user, long revision, long index, String prefix) {
        if (signer == null) {
            throw new IllegalStateException(VERIFY_ONLY);
        }
        long expSeconds = (wallMillis.getAsLong() + ttl.toMillis()) / 1000;
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("username", user).claim("revision", revision)
            .expirationTime(new Date(expSeconds * 1000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a JWT failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    @Override
    public void invalidateUser(String user) {
        // a JWT carries its revision: the bumped auth revision refuses it
    }

    @Override
    public void enabledChanged(boolean enabled) {
        // nothing is stored
    }

    @Override
    public String newPrefix() {
        return "";
    }
}
