package io.cairn.server.peer;

import io.netty.channel.Channel;
import java.net.URI;

/**
 * The seam where TLS goes ({@code --peer-cert-file} etc.): adds handlers, such as an {@code SslHandler}, in front
 * of the framing of every connection. Only {@link #PLAINTEXT} (http:// peer URLs) exists today.
 */
public interface PeerSecurity {
    PeerSecurity PLAINTEXT = new PeerSecurity() {
        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public void initAccepted(Channel ch) {
        }

        @Override
        public void initDialed(Channel ch, URI url) {
        }
    };

    /** The only URL scheme peers may be dialed with. */
    String scheme();

    /** Prepares a connection a peer opened to us, before any framing handler is added. */
    void initAccepted(Channel ch);

    /** Prepares a connection to {@code url}, before any framing handler is added. */
    void initDialed(Channel ch, URI url);
}
