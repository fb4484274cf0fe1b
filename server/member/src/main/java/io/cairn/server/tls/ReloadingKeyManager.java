package io.cairn.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the {@link KeyMaterial}'s current pair in every handshake, server or client side, so a replaced
 * certificate is used from the next connection on (etcd's {@code GetCertificate}/{@code GetClientCertificate}).
 * The alias names the pair's generation, so a handshake that chose a pair keeps it even if a reload happens
 * before the JDK asks for the chain and the key. Like Go, the client side sends its certificate whatever issuers
 * the server names. Thread-safe.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String PREFIX = "cairn-";

    private final KeyMaterial keys;

    ReloadingKeyManager(KeyMaterial keys) {
        this.keys = keys;
    }

    /** The alias of the current pair if its key fits {@code keyType} (JSSE's "RSA", "EC", "EC_RSA", ...). */
    private String alias(String... keyTypes) {
        KeyMaterial.CertifiedKey pair = keys.current();
        String alg = pair.key().getAlgorithm();
        for (String type : keyTypes) {
            if (type != null && (type.equals(alg) || type.startsWith(alg + "_"))) {
                return PREFIX + pair.generation();
            }
        }
        return null;
    }

    private Optional<KeyMaterial.CertifiedKey> pair(String alias) {
        if (alias == null || !alias.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return keys.generation(Long.parseLong(alias.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return alias(keyTypes);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return alias(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String a = alias(keyType);
        return a == null ? null : new String[] {a};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return pair(alias).map(p -> p.chain().toArray(new X509Certificate[0])).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return pair(alias).map(KeyMaterial.CertifiedKey::key).orElse(null);
    }
}
