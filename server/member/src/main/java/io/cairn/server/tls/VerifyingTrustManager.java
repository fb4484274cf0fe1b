package io.cairn.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Chain validation against the trusted CAs (the JDK's PKIX, which also checks the host name of a server when the
 * engine asks for it), then the {@link CertificateRules}. A refusal is a {@link CertificateException} with the
 * reason, so the handshake fails with it; {@code onReject} hears (remote host, reason) first, for the log.
 * Without a PKIX delegate ({@link #trustingAll}) every chain is accepted: etcd's auto-TLS, where nobody's
 * certificate can be verified. Thread-safe (stateless beyond its immutable parts).
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final CertificateRules rules;
    private final BiConsumer<String, String> onReject;

    private VerifyingTrustManager(X509ExtendedTrustManager pkix, CertificateRules rules,
        BiConsumer<String, String> onReject) {
        this.pkix = pkix;
        this.rules = rules;
        this.onReject = onReject;
    }

    /**
     * Trusts chains ending at one of {@code cas}, or at the JDK's default CAs when {@code cas} is empty (Go's
     * system pool, as etcd falls back to).
     */
    static VerifyingTrustManager trusting(List<X509Certificate> cas, CertificateRules rules,
        BiConsumer<String, String> onReject) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (cas.isEmpty()) {
                f.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                f.init(store);
            }
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new VerifyingTrustManager(x, rules, onReject);
                }
            }
            throw new IllegalStateException("the JDK has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the trust manager: " + e.getMessage(), e);
        }
    }

    /** Accepts any chain: no CA can vouch for a self-signed certificate. */
    static VerifyingTrustManager trustingAll() {
        return new VerifyingTrustManager(null, CertificateRules.none(), (host, reason) -> { });
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
        String host = engine == null ? null : engine.getPeerHost();
        if (pkix != null) {
            verify(host, () -> pkix.checkClientTrusted(chain, authType, engine));
        }
        checkRules(chain, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
        String host = engine == null ? null : engine.getPeerHost();
        if (pkix != null) {
            verify(host, () -> pkix.checkServerTrusted(chain, authType, engine));
        }
        checkRules(chain, host);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
        String host = remoteHost(socket);
        if (pkix != null) {
            verify(host, () -> pkix.checkClientTrusted(chain, authType, socket));
        }
        checkRules(chain, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
        String host = remoteHost(socket);
        if (pkix != null) {
            verify(host, () -> pkix.checkServerTrusted(chain, authType, socket));
        }
        checkRules(chain, host);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void verify(String host, Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            CertificateException said = goWording(e);
            onReject.accept(host, said.getMessage());
            throw said;
        }
    }

    /** The JDK's PKIX failures in Go's words, which etcd users know (the JDK's text follows). */
    private static CertificateException goWording(CertificateException e) {
        String m = String.valueOf(e.getMessage());
        String go = e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException
            || m.contains("validity check failed") ? "x509: certificate has expired or is not yet valid"
            : m.contains("unable to find valid certification path") ? "x509: certificate signed by unknown authority"
            : null;
        return go == null ? e : new CertificateException(go + " (" + m + ")", e);
    }

    private void checkRules(X509Certificate[] chain, String host) throws CertificateException {
        Optional<String> refusal = rules.check(List.of(chain), host);
        if (refusal.isPresent()) {
            onReject.accept(host, refusal.get());
            throw new CertificateException(refusal.get());
        }
    }

    private static String remoteHost(Socket socket) {
        if (socket == null || socket.getInetAddress() == null) {
            return null;
        }
        return socket.getInetAddress().getHostAddress();
    }
}
