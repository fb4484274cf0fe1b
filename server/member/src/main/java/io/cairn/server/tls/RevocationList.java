package io.cairn.server.tls;

import io.cairn.server.config.ConfigException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --client-crl-file} / {@code --peer-crl-file} as etcd applies them ({@code checkCRL}): a certificate
 * anywhere in the other side's chain whose serial number the CRL lists is refused with
 * {@code transport: certificate serial %x revoked}. Like etcd, the CRL's own signature and dates are not checked:
 * the operator's file is trusted as given. The file is read again when it changes; if it cannot be read any more,
 * connections are refused (etcd fails them too) rather than let a revoked certificate in.
 *
 * <p>Thread-safe.
 */
final class RevocationList {
    private record Loaded(Optional<FileStamp> stamp, Set<BigInteger> serials) {
    }

    private final String flag;
    private final Path file;
    private volatile Loaded loaded;

    private RevocationList(String flag, Path file) {
        this.flag = flag;
        this.file = file;
    }

    /**
     * Reads the CRL now.
     *
     * @throws ConfigException when the file is unreadable or not a CRL
     */
    static RevocationList load(String flag, Path file) {
        RevocationList r = new RevocationList(flag, file);
        r.loaded = r.read();
        return r;
    }

    /** Why {@code chain} is refused, or empty when none of its certificates is revoked. */
    Optional<String> check(List<X509Certificate> chain) {
        Set<BigInteger> revoked;
        try {
            revoked = current();
        } catch (ConfigException e) {
            return Optional.of("transport: cannot read the CRL: " + e.getMessage());
        }
        for (X509Certificate c : chain) {
            if (revoked.contains(c.getSerialNumber())) {
                return Optional.of("transport: certificate serial " + c.getSerialNumber().toString(16) + " revoked");
            }
        }
        return Optional.empty();
    }

    private Set<BigInteger> current() {
        Loaded l = loaded;
        if (FileStamp.of(file).equals(l.stamp())) {
            return l.serials();
        }
        synchronized (this) {
            if (!FileStamp.of(file).equals(loaded.stamp())) {
                loaded = read();
            }
            return loaded.serials();
        }
    }

    private Loaded read() {
        Optional<FileStamp> stamp = FileStamp.of(file);
        X509CRL crl = Pem.crl(flag, file);
        Set<BigInteger> serials = new HashSet<>();
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
            entries.forEach(e -> serials.add(e.getSerialNumber()));
        }
        return new Loaded(stamp, Set.copyOf(serials));
    }
}
