package io.cairn.server.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.URI;
import javax.net.ssl.SSLException;

/**
 * Sits right behind a peer connection's {@code SslHandler} and reports its first TLS failure (a failed
 * handshake, or an alert right after it, as when a TLS 1.3 listener refuses the dialer's certificate) to
 * {@link PeerTls#handshakeFailed}; passes every event and exception on. One per connection; event loop only.
 */
final class HandshakeLog extends ChannelInboundHandlerAdapter {
    private final PeerTls owner;
    private final URI dialed;
    private boolean reported;

    /** @param dialed the URL dialed, or null on the accepting side */
    HandshakeLog(PeerTls owner, URI dialed) {
        this.owner = owner;
        this.dialed = dialed;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            report(ctx, e.cause());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof SSLException) {
            report(ctx, t);
        }
        super.exceptionCaught(ctx, cause);
    }

    private void report(ChannelHandlerContext ctx, Throwable cause) {
        if (!reported) {
            reported = true;
            owner.handshakeFailed(ctx.channel(), dialed, cause);
        }
    }
}
