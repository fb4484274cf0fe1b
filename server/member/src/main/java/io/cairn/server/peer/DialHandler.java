package io.cairn.server.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * The dialing end of a connection: sends the HELLO as soon as the TCP connection is up, checks the ACCEPT, then
 * hands every further frame to its {@link Events}. A refusal (ERROR in answer to the HELLO) is reported as such;
 * an ERROR later, a protocol violation or no answer within the handshake timeout closes the connection. All
 * events run on the connection's event loop.
 */
final class DialHandler extends ChannelInboundHandlerAdapter {
    /** What the owner of a dialed connection hears. */
    interface Events {
        /** The peer accepted the HELLO: the connection is ready. */
        void accepted(Channel ch);

        /** The peer refused the HELLO for {@code reason}; the connection closes next. */
        void refused(Channel ch, String reason);

        /** A frame after the handshake; its payload is released when this returns. */
        void frame(Channel ch, Frame frame);

        /** The connection's writability changed. */
        default void writabilityChanged(Channel ch) {
        }

        /** The connection closed (also when it never opened); {@code cause} is why, or null when unknown. */
        void closed(Channel ch, Throwable cause);
    }

    private final Hello hello;
    private final long handshakeMillis;
    private final Events events;
    private boolean accepted;
    private boolean closedReported;
    private Throwable cause;

    DialHandler(Hello hello, long handshakeMillis, Events events) {
        this.hello = hello;
        this.handshakeMillis = handshakeMillis;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(hello.encode(ctx.alloc()));
        ctx.executor().schedule(() -> {
            if (!accepted && ctx.channel().isActive()) {
                fail(ctx, new PeerUnavailableException(hello.to(), String.format(
                    "peer %x did not answer the handshake within %d ms", hello.to(), handshakeMillis)));
            }
        }, handshakeMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame f = (Frame) msg;
        try {
            if (!accepted) {
                handshake(ctx, f);
            } else if (f.type() == FrameType.ERROR) {
                fail(ctx, new PeerUnavailableException(hello.to(), String.format("peer %x closed the connection: %s",
                    hello.to(), Frames.text(f.payload()))));
            } else {
                events.frame(ctx.channel(), f);
            }
        } finally {
            f.release();
        }
    }

    private void handshake(ChannelHandlerContext ctx, Frame f) {
        if (f.type() == FrameType.ERROR) {
            String reason = Frames.text(f.payload());
            cause = new PeerUnavailableException(hello.to(), reason);
            events.refused(ctx.channel(), reason);
            ctx.close();
            return;
        }
        if (f.type() != FrameType.ACCEPT) {
            throw new PeerProtocolException("expected ACCEPT, got " + f.type());
        }
        Frames.need(f.payload(), 20, FrameType.ACCEPT);
        int version = f.payload().readInt();
        long cluster = f.payload().readLong();
        long member = f.payload().readLong();
        String reason = version != Hello.VERSION ? String.format("peer answered protocol version %d (local=%d)",
            version, Hello.VERSION)
            : cluster != hello.clusterId() ? String.format("cluster ID mismatch: local=%x remote=%x",
                hello.clusterId(), cluster)
            : member != hello.to() ? String.format("member ID mismatch: dialed %x, %x answered", hello.to(), member)
            : null;
        if (reason != null) {
            cause = new PeerUnavailableException(hello.to(), reason);
            events.refused(ctx.channel(), reason);
            ctx.close();
            return;
        }
        accepted = true;
        events.accepted(ctx.channel());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        events.writabilityChanged(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        Throwable t = PeerContext.unwrap(e);
        if (t instanceof PeerProtocolException && ctx.channel().isActive()) {
            ctx.writeAndFlush(Frames.error(ctx.alloc(), t.getMessage()));
        }
        fail(ctx, t);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reportClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    /** Also called when the connection never opened (connect failed: no channelInactive follows). */
    void reportClosed(Channel ch) {
        if (!closedReported) {
            closedReported = true;
            events.closed(ch, cause);
        }
    }

    void connectFailed(Channel ch, Throwable connectCause) {
        if (cause == null) {
            cause = connectCause;
        }
        reportClosed(ch);
    }

    private void fail(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        ctx.close();
    }
}
