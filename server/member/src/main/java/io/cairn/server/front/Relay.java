package io.cairn.server.front;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.List;

/**
 * A client connection handed on whole to another listener on this host (the member's Armeria server): a second
 * connection on the same event loop, bytes copied both ways with back-pressure (a side stops reading while the
 * other cannot take more), either side's close closing the other.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel to;

    private Relay(Channel to) {
        this.to = to;
    }

    /**
     * Replaces {@code sniffer} (and grpc-java's handlers after it) on the connection of {@code ctx} by a relay to
     * {@code target}, which gets {@code head} (the bytes read so far) first.
     */
    static void start(ChannelHandlerContext ctx, ChannelHandler sniffer, ByteBuf head, SocketAddress target) {
        Channel front = ctx.channel();
        front.config().setAutoRead(false);
        ChannelPipeline p = ctx.pipeline();
        List<String> names = p.names();
        for (int i = names.indexOf(ctx.name()) + 1; i < names.size(); i++) {
            if (p.get(names.get(i)) != null) {
                p.remove(names.get(i)); // grpc-java's write buffering and negotiation: not for this connection
            }
        }
        Bootstrap b = new Bootstrap().group(front.eventLoop())
            .channel(front instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.AUTO_READ, false)
            .handler(new Relay(front));
        b.connect(target).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                head.release();
                front.close();
                return;
            }
            Channel back = f.channel();
            if (!front.isActive()) {
                head.release();
                back.close();
                return;
            }
            p.replace(sniffer, "cairn-relay", new Relay(back));
            back.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            front.config().setAutoRead(true);
            back.config().setAutoRead(true);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        to.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (!to.isWritable()) {
            ctx.channel().config().setAutoRead(false); // until the other side drains (below, on its relay)
        }
    }

    /** This side's buffer filled or drained: the other side reads only while this one can take its bytes. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        to.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        to.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
