package io.cairn.server.tls;

import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.TlsInfo;
import io.cairn.server.peer.PeerSecurity;
import io.cairn.server.peer.WarnLimiter;
import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS on the peer transport for https:// peer URLs (etcd's {@code --peer-*} flags), on the JDK's TLS engine:
 * <ul>
 *   <li>accepting: an {@code SslHandler} in front of the framing, asking for the dialer's certificate when
 *       {@code --peer-client-cert-auth} or {@code --peer-trusted-ca-file} is set and validating its chain against
 *       the trusted CA; then, when the dialer's HELLO arrives, {@link #refusal} applies the CRL, the allowed CN or
 *       host name and the SAN-against-address check, so a refused dialer learns why in an ERROR frame and both
 *       sides log it;</li>
 *   <li>dialing (streams, snapshots, and {@link #connect} for DISCOVER): presents this member's certificate,
 *       verifies the listener's chain against the trusted CA and its host name against the URL, then the CRL and
 *       the allowed CN or host name (a refusal fails the handshake);</li>
 *   <li>http:// peer URLs are dialed in plain TCP, as etcd dials them, and http:// listen peer URLs accept plain
 *       TCP next to https:// ones (the listener an accepted connection came in on decides).</li>
 * </ul>
 * With {@code --peer-auto-tls} (no certificate files) the traffic is encrypted with a self-signed certificate and
 * neither side's certificate is verified, as in etcd. A failed TLS handshake logs WARN on the side that sees it
 * ({@code rejected connection} when accepting; repeats within a minute at DEBUG). Thread-safe.
 */
public final class PeerTls implements PeerSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTls.class);

    private final EndpointTls tls;
    /** The listen addresses of the https:// listen peer URLs; the others accept plain TCP. */
    private final Set<InetSocketAddress> tlsListeners;
    private final SSLContext acceptContext;
    private final VerifyingTrustManager dialTrust;
    private final CertificateRules acceptRules;
    private final WarnLimiter warnings = new WarnLimiter(TimeUnit.MINUTES.toNanos(1), System::nanoTime);

    private PeerTls(EndpointTls tls, Set<InetSocketAddress> tlsListeners) {
        this.tls = tls;
        this.tlsListeners = Set.copyOf(tlsListeners);
        this.acceptRules = tls.rules(true);
        this.acceptContext = tls.jdkContext(tls.trustManager(CertificateRules.none(), this::rejectedAccepted));
        this.dialTrust = tls.trustManager(tls.rules(false), (host, reason) -> { });
    }

    /**
     * A fresh context for each dialed connection: its empty session cache means no TLS session is resumed, so
     * every connection presents (and has checked) the current certificates, as etcd's Go dialers do (they keep no
     * session cache). Building one costs about a millisecond; peers dial rarely.
     */
    private SSLContext dialContext() {
        return tls.jdkContext(dialTrust);
    }

    /**
     * The peer security {@code config} asks for: TLS when peer certificates (or --peer-auto-tls) are configured,
     * serving TLS on https:// listen peer URLs; plain TCP otherwise.
     *
     * @throws io.cairn.server.config.ConfigException when a peer TLS file is unreadable or does not match
     */
    public static PeerSecurity forConfig(ServerConfig config) {
        TlsInfo info = config.security().peer();
        Set<InetSocketAddress> tlsListeners = new HashSet<>();
        for (URI u : config.listenPeerUrls()) {
            if (ServerConfig.isTls(u)) {
                tlsListeners.add(new InetSocketAddress(u.getHost(), u.getPort()));
            }
        }
        if (!info.canServe()) {
            return PeerSecurity.PLAINTEXT;
        }
        if (!info.isEmpty()) {
            config.listenPeerUrls().stream().filter(u -> !ServerConfig.isTls(u)).forEach(u -> LOG.atWarn()
                .addKeyValue("peer-url", u.toString())
                .log("scheme is HTTP while key and cert files are present; ignoring key and cert files"));
        }
        EndpointTls tls = EndpointTls.load(EndpointTls.Side.PEER, info, config.security().policy(),
            config.dataDir(), config.listenPeerUrls());
        LOG.atInfo().addKeyValue("tls-info", tls.describe())
            .addKeyValue("cipher-suites", config.security().policy().cipherSuites()).log("starting with peer TLS");
        return new PeerTls(tls, tlsListeners);
    }

    @Override
    public boolean dials(String scheme) {
        return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }

    @Override
    public void initAccepted(Channel ch, InetSocketAddress listenAddress) {
        if (!tlsListeners.contains(listenAddress)) {
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        SSLEngine engine = remote == null ? acceptContext.createSSLEngine()
            : acceptContext.createSSLEngine(remote.getAddress().getHostAddress(), remote.getPort());
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        tls.apply(p);
        p.setNeedClientAuth(tls.requiresClientCert());
        engine.setSSLParameters(p);
        ch.pipeline().addLast(new SslHandler(engine), new HandshakeLog(this, null));
    }

    @Override
    public void initDialed(Channel ch, URI url) {
        if (!"https".equalsIgnoreCase(url.getScheme())) {
            return;
        }
        SSLEngine engine = dialContext().createSSLEngine(url.getHost(), url.getPort());
        engine.setUseClientMode(true);
        engine.setSSLParameters(dialParameters(engine.getSSLParameters()));
        ch.pipeline().addLast(new SslHandler(engine), new HandshakeLog(this, url));
    }

    private SSLParameters dialParameters(SSLParameters p) {
        tls.apply(p);
        if (!tls.selfSigned) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return p;
    }

    @Override
    public Optional<String> refusal(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        Optional<String> reason = acceptRules.check(chain, remote == null ? null
            : remote.getAddress().getHostAddress());
        return reason.map(r -> "rejected the peer's certificate (" + CertificateRules.commonName(chain.get(0))
            + "): " + r);
    }

    @Override
    public Socket connect(URI url, Duration timeout) throws IOException {
        Socket plain = PeerSecurity.super.connect(url, timeout);
        if (!"https".equalsIgnoreCase(url.getScheme())) {
            return plain;
        }
        try {
            SSLSocket s = (SSLSocket) dialContext().getSocketFactory().createSocket(plain, url.getHost(), url.getPort(),
                true);
            s.setSSLParameters(dialParameters(s.getSSLParameters()));
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The accepting side's trust manager refused a dialer's chain (the handshake log reports it too). */
    private void rejectedAccepted(String host, String reason) {
        LOG.atDebug().addKeyValue("remote-addr", host).addKeyValue("error", reason)
            .log("peer certificate failed validation");
    }

    /** The other end's IP: a peer redialing from new ports is one key for the warning limiter. */
    private static String host(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
            ? a.getAddress().getHostAddress() : "";
    }

    /** {@code host:port} of the other end, or "" when unknown. */
    private static String address(Channel ch) {
        if (ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return "";
    }

    /** Logs a failed TLS handshake: WARN the first time per (remote, reason) in a minute, DEBUG otherwise. */
    void handshakeFailed(Channel ch, URI dialed, Throwable cause) {
        String remote = dialed != null ? dialed.toString() : address(ch);
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        boolean tlsError = cause instanceof SSLException || cause instanceof NotSslRecordException;
        String key = (dialed != null ? remote : host(ch)) + "|" + reason;
        var log = tlsError && warnings.shouldWarn(key) ? LOG.atWarn() : LOG.atDebug();
        if (dialed != null) {
            log.addKeyValue("remote-url", remote).addKeyValue("error", reason)
                .log("TLS handshake with peer failed");
        } else {
            log.addKeyValue("remote-addr", remote).addKeyValue("error", reason).log("rejected connection");
        }
    }
}
