package io.cairn.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The checks etcd makes on the other side's certificate beyond chain validation, each answering why it refuses
 * (empty: accepted):
 * <ul>
 *   <li>the revocation list ({@code --client-crl-file}, {@code --peer-crl-file});</li>
 *   <li>{@code --peer-cert-allowed-cn}: the leaf's common name must be exactly it;</li>
 *   <li>{@code --peer-cert-allowed-hostname} / {@code --client-cert-allowed-hostname}: the leaf must be valid for
 *       that host name or IP (Go's {@code VerifyHostname}: SANs only, a {@code *.} wildcard in the first label);</li>
 *   <li>on the peer listener, unless {@code --experimental-peer-skip-client-san-verification}: a certificate
 *       that names IPs or DNS names must name the address the peer connects from, directly or through one of its
 *       DNS names (etcd's {@code checkCertSAN}; a DNS name is resolved, so this may block briefly).</li>
 * </ul>
 * Immutable; the revocation list reloads itself.
 */
final class CertificateRules {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final Optional<RevocationList> crl;
    private final String allowedCn;
    private final String allowedHostname;
    private final boolean checkRemoteSan;

    CertificateRules(Optional<RevocationList> crl, String allowedCn, String allowedHostname,
        boolean checkRemoteSan) {
        this.crl = crl;
        this.allowedCn = allowedCn;
        this.allowedHostname = allowedHostname;
        this.checkRemoteSan = checkRemoteSan;
    }

    /** Nothing beyond chain validation. */
    static CertificateRules none() {
        return new CertificateRules(Optional.empty(), "", "", false);
    }

    /**
     * Why {@code chain} (leaf first, as presented) from {@code remoteHost} (an IP literal; null when unknown) is
     * refused, or empty.
     */
    Optional<String> check(List<X509Certificate> chain, String remoteHost) {
        if (chain.isEmpty()) {
            return Optional.of("no certificate presented");
        }
        X509Certificate leaf = chain.get(0);
        Optional<String> revoked = crl.flatMap(c -> c.check(chain));
        if (revoked.isPresent()) {
            return revoked;
        }
        if (!allowedCn.isEmpty() && !allowedCn.equals(commonName(leaf))) {
            return Optional.of("client certificate authentication failed: CommonName \"" + commonName(leaf)
                + "\" is not the allowed CN \"" + allowedCn + "\" (--peer-cert-allowed-cn)");
        }
        if (!allowedHostname.isEmpty() && !validFor(leaf, allowedHostname)) {
            return Optional.of("client certificate authentication failed: the certificate is not valid for the "
                + "allowed hostname \"" + allowedHostname + "\" (SANs " + names(leaf) + ")");
        }
        if (checkRemoteSan && remoteHost != null) {
            return remoteSan(leaf, remoteHost);
        }
        return Optional.empty();
    }

    /** The leaf's common name as Go reads it (the last CN attribute); empty when it has none. */
    static String commonName(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cns = name.getRDNs(BCStyle.CN);
        return cns.length == 0 ? "" : IETFUtils.valueToString(cns[cns.length - 1].getFirst().getValue());
    }

    /** Go's {@code Certificate.VerifyHostname}: IPs against IP SANs, names against DNS SANs. */
    static boolean validFor(X509Certificate cert, String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(h)) {
            byte[] ip = address(h);
            return ip != null && ips(cert).stream().anyMatch(a -> Arrays.equals(address(a), ip));
        }
        String name = h.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String pattern : dnsNames(cert)) {
            if (matches(pattern.toLowerCase(Locale.ROOT), name)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> remoteSan(X509Certificate leaf, String remoteHost) {
        List<String> ips = ips(leaf);
        List<String> dns = dnsNames(leaf);
        if ((ips.isEmpty() && dns.isEmpty()) || validFor(leaf, remoteHost)) {
            return Optional.empty();
        }
        byte[] remote = address(remoteHost);
        for (String name : dns) {
            try {
                for (InetAddress a : InetAddress.getAllByName(name)) {
                    if (Arrays.equals(a.getAddress(), remote)) {
                        return Optional.empty();
                    }
                }
            } catch (UnknownHostException ignored) {
                // etcd skips names that do not resolve
            }
        }
        return Optional.of(dns.isEmpty()
            ? "x509: certificate is valid for " + String.join(", ", ips) + ", not " + remoteHost
            : "tls: \"" + remoteHost + "\" does not match any of DNSNames " + dns);
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** The bytes of an IP literal (no name lookup), or null when it is not one. */
    private static byte[] address(String literal) {
        if (!isIpLiteral(literal)) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>(dnsNames(cert));
        out.addAll(ips(cert));
        return out;
    }

    static List<String> ips(X509Certificate cert) {
        return sans(cert, SAN_IP);
    }

    static List<String> dnsNames(X509Certificate cert) {
        return sans(cert, SAN_DNS);
    }

    private static List<String> sans(X509Certificate cert, int type) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }
}
