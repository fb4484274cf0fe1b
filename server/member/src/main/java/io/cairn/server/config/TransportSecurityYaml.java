package io.cairn.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * etcd's config-file sections {@code client-transport-security} and {@code peer-transport-security}: their keys
 * ({@code cert-file}, {@code key-file}, {@code client-cert-auth}, {@code trusted-ca-file}, {@code auto-tls}, and
 * etcd 3.5's {@code crl-file}, {@code allowed-cn}, {@code allowed-hostname}) set the matching flags. Stateless.
 */
final class TransportSecurityYaml {
    private static final Map<String, Flag> CLIENT = Map.of("cert-file", Flag.CERT_FILE, "key-file", Flag.KEY_FILE,
        "client-cert-auth", Flag.CLIENT_CERT_AUTH, "trusted-ca-file", Flag.TRUSTED_CA_FILE, "auto-tls",
        Flag.AUTO_TLS, "crl-file", Flag.CLIENT_CRL_FILE, "allowed-hostname", Flag.CLIENT_CERT_ALLOWED_HOSTNAME);
    private static final Map<String, Flag> PEER = Map.of("cert-file", Flag.PEER_CERT_FILE, "key-file",
        Flag.PEER_KEY_FILE, "client-cert-auth", Flag.PEER_CLIENT_CERT_AUTH, "trusted-ca-file",
        Flag.PEER_TRUSTED_CA_FILE, "auto-tls", Flag.PEER_AUTO_TLS, "crl-file", Flag.PEER_CRL_FILE, "allowed-cn",
        Flag.PEER_CERT_ALLOWED_CN, "allowed-hostname", Flag.PEER_CERT_ALLOWED_HOSTNAME);

    private TransportSecurityYaml() {
    }

    /** The keys of section {@code name}, or empty when {@code name} is not one of the two sections. */
    static Optional<Map<String, Flag>> section(String name) {
        return switch (name) {
            case "client-transport-security" -> Optional.of(CLIENT);
            case "peer-transport-security" -> Optional.of(PEER);
            default -> Optional.empty();
        };
    }

    /** Sets the flags {@code values} name; unknown keys are warnings, as elsewhere in the file. */
    static void read(Path file, String name, Map<String, Flag> keys, Object values, Map<Flag, String> out,
        List<String> warnings) {
        if (!(values instanceof Map<?, ?> map)) {
            throw new ConfigException("config file " + file + ": " + name + " must be a mapping");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Flag f = keys.get(key);
            if (f == null) {
                warnings.add("config file " + file + ": unsupported key '" + name + "." + key + "' ignored");
            } else if (e.getValue() != null) {
                out.put(f, String.valueOf(e.getValue()));
            }
        }
    }
}
