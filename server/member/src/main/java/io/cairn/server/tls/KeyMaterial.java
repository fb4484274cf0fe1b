package io.cairn.server.tls;

import io.cairn.server.config.ConfigException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's certificate chain and private key, read again when either file changes, as etcd re-reads them for
 * every handshake: {@link #current()} stats both files (cheap) and re-reads them only when a stamp changed, so new
 * connections get the new certificate while open ones keep theirs. A pair that cannot be read or does not match
 * (say the certificate was replaced but not yet the key) is not used: the previous one stays in service, a WARN
 * says why, and the next call tries again.
 *
 * <p>Thread-safe: any handshake thread may call in; a reload runs under this object's lock.
 */
final class KeyMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(KeyMaterial.class);

    /**
     * One version of the pair.
     *
     * @param generation 1 for the pair read at start, +1 for each reload
     * @param chain leaf first; never empty
     */
    record CertifiedKey(long generation, PrivateKey key, List<X509Certificate> chain) {
        CertifiedKey {
            Objects.requireNonNull(key, "key");
            chain = List.copyOf(chain);
        }

        X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private record Loaded(CertifiedKey pair, Optional<FileStamp> certStamp, Optional<FileStamp> keyStamp) {
    }

    private final String certFlag;
    private final String keyFlag;
    private final Path certFile;
    private final Path keyFile;
    private volatile Loaded loaded;
    private volatile CertifiedKey previous;
    private Optional<FileStamp> failedCert = Optional.empty();
    private Optional<FileStamp> failedKey = Optional.empty();

    private KeyMaterial(String certFlag, String keyFlag, Path certFile, Path keyFile) {
        this.certFlag = certFlag;
        this.keyFlag = keyFlag;
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /**
     * Reads the pair now.
     *
     * @throws ConfigException naming the flag and file when a file is unreadable, holds no PEM data, or the key
     *     does not belong to the certificate
     */
    static KeyMaterial load(String certFlag, Path certFile, String keyFlag, Path keyFile) {
        KeyMaterial m = new KeyMaterial(certFlag, keyFlag, certFile, keyFile);
        m.loaded = m.read(1);
        return m;
    }

    Path certFile() {
        return certFile;
    }

    /** The pair to use for a new connection. */
    CertifiedKey current() {
        Loaded l = loaded;
        if (FileStamp.of(certFile).equals(l.certStamp()) && FileStamp.of(keyFile).equals(l.keyStamp())) {
            return l.pair();
        }
        return reload();
    }

    /** The current pair or the one before it, by generation (a handshake may straddle a reload). */
    Optional<CertifiedKey> generation(long generation) {
        CertifiedKey now = loaded.pair();
        if (now.generation() == generation) {
            return Optional.of(now);
        }
        CertifiedKey before = previous;
        return before != null && before.generation() == generation ? Optional.of(before) : Optional.empty();
    }

    private synchronized CertifiedKey reload() {
        Loaded l = loaded;
        Optional<FileStamp> cert = FileStamp.of(certFile);
        Optional<FileStamp> key = FileStamp.of(keyFile);
        if (cert.equals(l.certStamp()) && key.equals(l.keyStamp())) {
            return l.pair();
        }
        try {
            Loaded next = read(l.pair().generation() + 1);
            previous = l.pair();
            loaded = next;
            LOG.atInfo().addKeyValue("cert-file", certFile.toString()).addKeyValue("key-file", keyFile.toString())
                .addKeyValue("subject", next.pair().leaf().getSubjectX500Principal().getName())
                .addKeyValue("not-after", next.pair().leaf().getNotAfter().toInstant().toString())
                .log("reloaded TLS certificate");
            return next.pair();
        } catch (ConfigException e) {
            if (!cert.equals(failedCert) || !key.equals(failedKey)) {
                failedCert = cert;
                failedKey = key;
                LOG.atWarn().addKeyValue("cert-file", certFile.toString()).addKeyValue("key-file", keyFile.toString())
                    .addKeyValue("error", e.getMessage())
                    .log("failed to reload TLS certificate; still serving the previous one");
            }
            return l.pair();
        }
    }

    private Loaded read(long generation) {
        Optional<FileStamp> certStamp = FileStamp.of(certFile);
        Optional<FileStamp> keyStamp = FileStamp.of(keyFile);
        List<X509Certificate> chain = Pem.certificates(certFlag, certFile);
        PrivateKey key = Pem.privateKey(keyFlag, keyFile);
        Pem.checkMatch(certFlag + "/" + keyFlag, key, chain.get(0));
        return new Loaded(new CertifiedKey(generation, key, chain), certStamp, keyStamp);
    }
}
