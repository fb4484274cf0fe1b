package io.cairn.server.auth;

import java.util.Optional;

/**
 * What a client presented with a request: the token from gRPC metadata {@code token} (what etcd's clients send)
 * or the gateway's {@code Authorization} header, and the common name of its verified TLS client certificate on a
 * gRPC call. Either may be absent. Immutable.
 *
 * @param token the auth token as sent, or null
 * @param certificateCommonName the CN of the verified client certificate, or null
 */
public record Credentials(String token, String certificateCommonName) {
    public static final Credentials NONE = new Credentials(null, null);

    public Optional<String> tokenIfAny() {
        return Optional.ofNullable(token).filter(t -> !t.isEmpty());
    }

    public Optional<String> commonNameIfAny() {
        return Optional.ofNullable(certificateCommonName).filter(t -> !t.isEmpty());
    }

    @Override
    public String toString() {
        return "Credentials[token=" + (token == null ? "none" : "<redacted>") + ", cn=" + certificateCommonName + "]";
    }
}
