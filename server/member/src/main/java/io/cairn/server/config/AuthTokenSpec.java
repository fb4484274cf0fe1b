package io.cairn.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --auth-token} as etcd reads it ({@code auth.NewTokenProvider}): {@code simple}, or {@code jwt} followed
 * by comma-separated {@code key=value} options: {@code sign-method} (required: RS256/384/512, PS256/384/512,
 * ES256/384/512 or HS256/384/512), {@code pub-key} and {@code priv-key} (PEM files; for HS* {@code priv-key}
 * holds the shared secret; a member with only {@code pub-key} verifies tokens but cannot issue them), {@code ttl}
 * (a Go duration, default 5m). Unknown options are ignored, as etcd ignores them; a repeated one is an error.
 *
 * @param type {@code simple} or {@code jwt}
 * @param signMethod the JWS algorithm (jwt only, else empty)
 * @param publicKey the public key file (jwt)
 * @param privateKey the private key or HMAC secret file (jwt)
 * @param ttl how long a JWT is valid (jwt)
 */
public record AuthTokenSpec(String type, String signMethod, Optional<Path> publicKey, Optional<Path> privateKey,
                            Duration ttl) {
    public static final String SIMPLE = "simple";
    public static final String JWT = "jwt";
    /** etcd's JWT {@code DefaultTTL}. */
    public static final Duration DEFAULT_JWT_TTL = Duration.ofMinutes(5);
    public static final Set<String> SIGN_METHODS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "HS256", "HS384", "HS512");

    /** The default, {@code simple}. */
    public static final AuthTokenSpec DEFAULT = new AuthTokenSpec(SIMPLE, "", Optional.empty(), Optional.empty(),
        DEFAULT_JWT_TTL);

    /**
     * @throws ConfigException naming the flag for a malformed value
     */
    public static AuthTokenSpec parse(String spec) {
        String[] parts = spec.trim().split(",");
        String type = parts[0];
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", -1);
            if (kv.length != 2 || opts.containsKey(kv[0])) {
                throw invalid(spec, "invalid auth options");
            }
            opts.put(kv[0], kv[1]);
        }
        if (type.equals(SIMPLE)) {
            return DEFAULT;
        }
        if (!type.equals(JWT)) {
            throw invalid(spec, "unknown token type '" + type + "' (want simple or jwt)");
        }
        String method = opts.getOrDefault("sign-method", "");
        if (!SIGN_METHODS.contains(method)) {
            throw invalid(spec, "invalid auth signature method '" + method + "' (want one of RS256, RS384, RS512, "
                + "PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512)");
        }
        Optional<Path> pub = Optional.ofNullable(opts.get("pub-key")).filter(s -> !s.isEmpty()).map(Path::of);
        Optional<Path> priv = Optional.ofNullable(opts.get("priv-key")).filter(s -> !s.isEmpty()).map(Path::of);
        if (pub.isEmpty() && priv.isEmpty() || method.startsWith("HS") && priv.isEmpty()) {
            throw invalid(spec, "missing key data (pub-key and/or priv-key)");
        }
        String ttl = opts.getOrDefault("ttl", "");
        Duration d = ttl.isEmpty() ? DEFAULT_JWT_TTL : ConfigValues.duration(Flag.AUTH_TOKEN, ttl, false);
        if (d.isNegative() || d.isZero()) {
            throw invalid(spec, "ttl must be positive");
        }
        return new AuthTokenSpec(JWT, method, pub, priv, d);
    }

    private static ConfigException invalid(String spec, String why) {
        return new ConfigException("invalid value \"" + spec + "\" for flag -" + Flag.AUTH_TOKEN.flagName() + ": "
            + why);
    }

    public boolean isJwt() {
        return type.equals(JWT);
    }
}
