package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a connection reads and writes into its peer's {@link PeerCounters}. An accepted connection
 * learns its peer from the HELLO, so it counts from then on ({@link #attach}).
 */
final class ByteCounter extends ChannelDuplexHandler {
    private volatile PeerCounters counters;

    ByteCounter(PeerCounters counters) {
        this.counters = counters;
    }

    void attach(PeerCounters c) {
        this.counters = c;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerCounters c = counters;
        if (c != null && msg instanceof ByteBuf buf) {
            c.receivedBytes.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        PeerCounters c = counters;
        if (c != null && msg instanceof ByteBuf buf) {
            c.sentBytes.add(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
