package io.cairn.server.peer;

import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The seam where TLS goes ({@code --peer-cert-file} etc., implemented in {@code io.cairn.server.tls}): adds
 * handlers, such as an {@code SslHandler}, in front of the framing of every connection, checks an accepted
 * connection's peer before its HELLO is answered, and opens the blocking DISCOVER connection. {@link #PLAINTEXT}
 * serves http:// peer URLs. Implementations are thread-safe: the transport calls in from its event loops and
 * from the thread that discovers the cluster.
 */
public interface PeerSecurity {
    PeerSecurity PLAINTEXT = new PeerSecurity() {
        @Override
        public boolean dials(String scheme) {
            return "http".equalsIgnoreCase(scheme);
        }

        @Override
        public void initAccepted(Channel ch, InetSocketAddress listenAddress) {
        }

        @Override
        public void initDialed(Channel ch, URI url) {
        }
    };

    /** Whether peer URLs of {@code scheme} ({@code http}, {@code https}) can be dialed. */
    boolean dials(String scheme);

    /**
     * Prepares a connection a peer opened to us, before any framing handler is added; {@code listenAddress} is
     * the listen address it arrived on, as the settings list it (its scheme decides whether it speaks TLS).
     */
    void initAccepted(Channel ch, InetSocketAddress listenAddress);

    /** Prepares a connection to {@code url}, before any framing handler is added. */
    void initDialed(Channel ch, URI url);

    /**
     * Why an accepted connection must be refused although its transport handshake succeeded (a revoked or
     * disallowed certificate), checked when its HELLO arrives; the reason goes back to the dialer in an ERROR
     * frame and is logged on both ends. Empty to accept. Runs on the connection's event loop.
     */
    default Optional<String> refusal(Channel ch) {
        return Optional.empty();
    }

    /**
     * A blocking connection to {@code url} for the DISCOVER handshake, ready for framing (plain TCP here; a TLS
     * implementation completes its handshake first). Connect and reads time out after {@code timeout}.
     */
    default Socket connect(URI url, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
