package io.cairn.server.tls;

import io.cairn.server.config.TlsInfo;
import io.cairn.server.config.TlsPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's TLS (the client port or the peer port), read and checked when the member starts: its
 * certificate and key ({@link KeyMaterial}, reloaded when they change), or a generated one for auto-TLS; the
 * trusted CAs; the CRL. Everything a bad file can break fails here, at start, with the flag in the message.
 * Immutable apart from the reloading parts; thread-safe.
 */
final class EndpointTls {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointTls.class);

    /** Which endpoint, with its flags' names for messages. */
    enum Side {
        CLIENT("client", "--cert-file", "--key-file", "--trusted-ca-file", "--client-crl-file", "--auto-tls"),
        PEER("peer", "--peer-cert-file", "--peer-key-file", "--peer-trusted-ca-file", "--peer-crl-file",
            "--peer-auto-tls");

        final String name;
        final String certFlag;
        final String keyFlag;
        final String caFlag;
        final String crlFlag;
        final String autoFlag;

        Side(String name, String certFlag, String keyFlag, String caFlag, String crlFlag, String autoFlag) {
            this.name = name;
            this.certFlag = certFlag;
            this.keyFlag = keyFlag;
            this.caFlag = caFlag;
            this.crlFlag = crlFlag;
            this.autoFlag = autoFlag;
        }
    }

    final Side side;
    final TlsInfo info;
    final TlsPolicy policy;
    final KeyMaterial keys;
    final List<X509Certificate> trustedCas;
    final Optional<RevocationList> crl;
    /** Auto-TLS: our certificate is self-signed, and the other side's is not verified (etcd's selfCert). */
    final boolean selfSigned;

    private EndpointTls(Side side, TlsInfo info, TlsPolicy policy, KeyMaterial keys, List<X509Certificate> cas,
        Optional<RevocationList> crl, boolean selfSigned) {
        this.side = side;
        this.info = info;
        this.policy = policy;
        this.keys = keys;
        this.trustedCas = cas;
        this.crl = crl;
        this.selfSigned = selfSigned;
    }

    /**
     * Reads the endpoint's files, or generates its auto-TLS certificate under {@code <dataDir>/fixtures/<side>}
     * for the hosts of {@code listenUrls}.
     *
     * @throws io.cairn.server.config.ConfigException naming the flag and file at fault
     */
    static EndpointTls load(Side side, TlsInfo info, TlsPolicy policy, Path dataDir, List<URI> listenUrls) {
        if (!info.canServe()) {
            throw new IllegalArgumentException("no " + side.name + " certificate and no " + side.autoFlag);
        }
        if (info.isEmpty()) {
            SelfSignedCert.PemPair pair = SelfSignedCert.ensure(dataDir.resolve("fixtures").resolve(side.name),
                listenUrls, policy.selfSignedCertValidityYears(), side == Side.PEER);
            KeyMaterial keys = KeyMaterial.load(side.autoFlag, pair.cert(), side.autoFlag, pair.key());
            return new EndpointTls(side, info, policy, keys, List.of(), Optional.empty(), true);
        }
        if (info.autoTls()) {
            LOG.atWarn().log("ignoring " + side.name + " auto TLS since certs given");
        }
        KeyMaterial keys = KeyMaterial.load(side.certFlag, info.certFile().orElseThrow(), side.keyFlag,
            info.keyFile().orElseThrow());
        List<X509Certificate> cas = info.trustedCaFile().map(f -> Pem.certificates(side.caFlag, f)).orElse(List.of());
        Optional<RevocationList> crl = info.crlFile().map(f -> RevocationList.load(side.crlFlag, f));
        return new EndpointTls(side, info, policy, keys, cas, crl, false);
    }

    /** Whether the server side asks for, and verifies, the other side's certificate. */
    boolean requiresClientCert() {
        return !selfSigned && info.requiresClientCert();
    }

    /**
     * The rules beyond chain validation: CRL, allowed CN or host name, and (peer listener only) the dialer's SANs
     * against its address.
     */
    CertificateRules rules(boolean checkRemoteSan) {
        if (selfSigned) {
            return CertificateRules.none();
        }
        return new CertificateRules(crl, info.allowedCn(), info.allowedHostname(),
            checkRemoteSan && !info.skipClientSanVerify());
    }

    /** The trust manager: our CAs and {@code rules}, or trust-all for auto-TLS. */
    VerifyingTrustManager trustManager(CertificateRules rules, BiConsumer<String, String> onReject) {
        return selfSigned ? VerifyingTrustManager.trustingAll()
            : VerifyingTrustManager.trusting(trustedCas, rules, onReject);
    }

    /** A JDK context presenting our current certificate and trusting with {@code trust}. */
    SSLContext jdkContext(VerifyingTrustManager trust) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(new KeyManager[] {new ReloadingKeyManager(keys)}, new TrustManager[] {trust}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /** Protocols and cipher suites from {@link TlsPolicy}, applied to JDK engine or socket parameters. */
    void apply(SSLParameters p) {
        p.setProtocols(policy.protocols().toArray(new String[0]));
        policy.jsseCipherSuites().ifPresent(s -> p.setCipherSuites(supported(s)));
    }

    private static String[] supported(List<String> suites) {
        try {
            List<String> known = List.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
            return suites.stream().filter(known::contains).toArray(String[]::new);
        } catch (GeneralSecurityException e) {
            return suites.toArray(new String[0]);
        }
    }

    /** etcd's "tls-info" log field. */
    String describe() {
        return "cert = " + keys.certFile() + ", trusted-ca = " + info.trustedCaFile().map(Path::toString).orElse("")
            + ", client-cert-auth = " + requiresClientCert() + ", crl-file = "
            + info.crlFile().map(Path::toString).orElse("") + (selfSigned ? ", self-signed (" + side.autoFlag + ")"
            : "");
    }
}
