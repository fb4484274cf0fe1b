package io.cairn.server.tls;

import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.common.TlsProvider;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerTlsConfig;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.TlsInfo;
import io.cairn.server.peer.WarnLimiter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the client endpoint's https:// URLs (etcd's {@code --cert-file}, {@code --key-file},
 * {@code --trusted-ca-file}, {@code --client-cert-auth}, {@code --client-crl-file},
 * {@code --client-cert-allowed-hostname}, {@code --auto-tls}), set up on Armeria through a {@link TlsProvider}:
 * Armeria asks it for the key pair of every new connection, and it answers with the {@link KeyMaterial}'s current
 * pair, so replaced files take effect from the next connection on (Armeria keeps one SSL context per pair). With
 * client certificate authentication the server requires a certificate and checks it with a
 * {@link VerifyingTrustManager}; the verified chain is then in {@code ServiceRequestContext.sslSession()}, whose
 * leaf CN names the user when auth is enabled ({@link #commonName}). Refusals log WARN {@code rejected
 * connection}. Thread-safe.
 */
public final class ClientTls {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTls.class);

    private final EndpointTls tls;
    private final WarnLimiter warnings = new WarnLimiter(TimeUnit.MINUTES.toNanos(1), System::nanoTime);

    private ClientTls(EndpointTls tls) {
        this.tls = tls;
    }

    /**
     * The client TLS {@code config} asks for: present when a client URL is https:// (the configuration checked
     * already that certificates or --auto-tls are there for it).
     *
     * @throws io.cairn.server.config.ConfigException when a file is unreadable or the key does not match
     */
    public static Optional<ClientTls> forConfig(ServerConfig config) {
        TlsInfo info = config.security().client();
        config.listenClientUrls().stream().filter(u -> !ServerConfig.isTls(u)).forEach(u -> {
            if (!info.isEmpty()) {
                LOG.atWarn().addKeyValue("client-url", u.toString())
                    .log("scheme is HTTP while key and cert files are present; ignoring key and cert files");
            }
            if (info.clientCertAuth()) {
                LOG.atWarn().addKeyValue("client-url", u.toString())
                    .log("scheme is HTTP while --client-cert-auth is enabled; ignoring client cert auth for this URL");
            }
        });
        if (config.listenClientUrls().stream().noneMatch(ServerConfig::isTls)) {
            return Optional.empty();
        }
        EndpointTls tls = EndpointTls.load(EndpointTls.Side.CLIENT, info, config.security().policy(),
            config.dataDir(), config.listenClientUrls());
        LOG.atInfo().addKeyValue("tls-info", tls.describe())
            .addKeyValue("cipher-suites", config.security().policy().cipherSuites()).log("starting with client TLS");
        return Optional.of(new ClientTls(tls));
    }

    /** Serves the server's https ports with this TLS. */
    public void applyTo(ServerBuilder sb) {
        boolean requireCert = tls.requiresClientCert();
        VerifyingTrustManager trust = tls.trustManager(tls.rules(false), this::rejected);
        ServerTlsConfig config = ServerTlsConfig.builder()
            .clientAuth(requireCert ? ClientAuth.REQUIRE : ClientAuth.NONE)
            .allowsUnsafeCiphers(tls.policy.jsseCipherSuites().isPresent())
            .tlsCustomizer(b -> {
                if (requireCert) {
                    b.trustManager(trust);
                }
                b.protocols(tls.policy.protocols());
                tls.policy.jsseCipherSuites().ifPresent(c -> b.ciphers(c, SupportedCipherSuiteFilter.INSTANCE));
            })
            .build();
        sb.tlsProvider(new ReloadingProvider(tls.keys), config);
    }

    /** The user name a client certificate carries (its CN), as etcd's auth takes it; empty for none. */
    public static String commonName(X509Certificate leaf) {
        return CertificateRules.commonName(leaf);
    }

    /** A client certificate failed; Armeria logs the failed handshake too, with the address and TLS alert. */
    private void rejected(String host, String reason) {
        var log = warnings.shouldWarn(host + "|" + reason) ? LOG.atWarn() : LOG.atDebug();
        if (host != null) {
            log = log.addKeyValue("remote-addr", host);
        }
        log.addKeyValue("error", reason).log("rejected connection");
    }

    /** Hands Armeria the current pair, one {@link TlsKeyPair} per generation (Armeria caches by pair). */
    private static final class ReloadingProvider implements TlsProvider {
        private final KeyMaterial keys;
        private volatile Converted converted;

        private record Converted(long generation, TlsKeyPair pair) {
        }

        ReloadingProvider(KeyMaterial keys) {
            this.keys = keys;
        }

        @Override
        public TlsKeyPair keyPair(String hostname) {
            KeyMaterial.CertifiedKey k = keys.current();
            Converted c = converted;
            if (c == null || c.generation() != k.generation()) {
                c = new Converted(k.generation(), TlsKeyPair.of(k.key(), k.chain()));
                converted = c;
            }
            return c.pair();
        }
    }
}
