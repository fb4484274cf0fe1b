package io.cairn.server.auth;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * etcd's {@code AuthInfoFromTLS}: with {@code --client-cert-auth}, a request that carries no token acts as the
 * user named by the common name (CN) of its verified client certificate (the first certificate of the peer's
 * chain, as the TLS layer verified it).
 */
public final class TlsIdentity {
    private TlsIdentity() {
    }

    /** The CN of the verified client certificate of {@code session}; empty without TLS, certificate or CN. */
    public static Optional<String> commonName(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return commonName(leaf);
    }

    /** The first CN of {@code cert}'s subject. */
    static Optional<String> commonName(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length == 0 || cns[0].getFirst() == null) {
            return Optional.empty();
        }
        var value = cns[0].getFirst().getValue();
        String cn = value instanceof ASN1String text ? text.getString() : value.toString();
        return Optional.of(cn).filter(s -> !s.isEmpty());
    }
}
