package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting end of a connection. The first frame must be a HELLO: it is checked ({@link Hello#refusal}) and
 * answered ACCEPT, or ERROR with the reason (logged at WARN here too) and the connection closed. After that a
 * STREAM connection carries RAFT frames, handed to {@link Inbound#receive} in order on this event loop (dropped
 * when addressed to another member), and REQUEST frames, answered with RESPONSE frames when the handler's future
 * completes; a SNAPSHOT connection is driven by a {@link SnapshotReceiver}. A protocol violation is answered
 * with an ERROR frame and closes the connection.
 */
final class InboundHandler extends ChannelInboundHandlerAdapter {
    /** The member ID an accepted connection comes from, once its HELLO was accepted. */
    static final AttributeKey<Long> REMOTE_ID = AttributeKey.valueOf("cairn.peer.remote-id");
    private static final Logger LOG = LoggerFactory.getLogger(InboundHandler.class);

    private final PeerContext ctx;
    private final ByteCounter byteCounter;
    private Hello hello;
    private boolean closing;
    private SnapshotReceiver snapshot;

    InboundHandler(PeerContext ctx, ByteCounter byteCounter) {
        this.ctx = ctx;
        this.byteCounter = byteCounter;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) {
        long millis = ctx.limits.handshakeTimeout().toMillis();
        c.executor().schedule(() -> {
            if (hello == null && c.channel().isActive()) {
                LOG.atDebug().addKeyValue("remote-addr", c.channel().remoteAddress())
                    .log("closing a peer connection that sent no HELLO in time");
                c.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
        c.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        Frame f = (Frame) msg;
        try {
            if (closing) {
                return;
            }
            if (hello == null) {
                handshake(c, f);
            } else if (snapshot != null) {
                snapshot.frame(f);
            } else if (f.type() == FrameType.RAFT) {
                raft(Frames.parseMessage(f.payload()));
            } else if (f.type() == FrameType.REQUEST) {
                request(c.channel(), f.payload());
            } else if (f.type() == FrameType.ERROR) {
                LOG.atWarn().addKeyValue("remote-peer-id", PeerContext.hex(hello.from()))
                    .addKeyValue("error", Frames.text(f.payload())).log("peer closed its connection");
                c.close();
            } else {
                throw new PeerProtocolException("unexpected " + f.type() + " frame on a stream from a peer");
            }
        } finally {
            f.release();
        }
    }

    private void handshake(ChannelHandlerContext c, Frame f) {
        if (f.type() != FrameType.HELLO) {
            throw new PeerProtocolException("expected HELLO, got " + f.type());
        }
        Hello h = Hello.decode(f.payload());
        Optional<String> refusal = h.refusal(ctx.localId(), ctx.settings.clusterId(), ctx.settings.isRemoved(),
            ctx.settings.isMember())
            .or(() -> ctx.settings.security().refusal(c.channel()));
        if (refusal.isPresent()) {
            closing = true;
            ctx.refused(LOG, h.from(), refusal.get(), true);
            c.writeAndFlush(Frames.error(c.alloc(), refusal.get())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (h.purpose() == Hello.Purpose.DISCOVER) {
            closing = true;
            byte[] members = ctx.settings.inbound().membership();
            c.writeAndFlush(Frames.start(c.alloc(), FrameType.MEMBERS, members.length).writeBytes(members))
                .addListener(ChannelFutureListener.CLOSE);
            LOG.atInfo().addKeyValue("remote-addr", c.channel().remoteAddress())
                .log("answered a joining member's membership request");
            return;
        }
        hello = h;
        c.channel().attr(REMOTE_ID).set(h.from());
        byteCounter.attach(ctx.counters(h.from()));
        if (h.purpose() == Hello.Purpose.SNAPSHOT) {
            snapshot = new SnapshotReceiver(ctx, c.channel(), h.from());
        }
        c.writeAndFlush(Frames.accept(c.alloc(), ctx.settings.clusterId(), ctx.localId()));
        LOG.atDebug().addKeyValue("remote-peer-id", PeerContext.hex(h.from())).addKeyValue("purpose", h.purpose())
            .log("accepted a peer connection");
    }

    private void raft(Message m) {
        if (m.getTo() != ctx.localId()) {
            ctx.droppedMisaddressed.increment();
            LOG.atDebug().addKeyValue("remote-peer-id", PeerContext.hex(hello.from()))
                .addKeyValue("to", PeerContext.hex(m.getTo())).log("dropped a raft message meant for another member");
            return;
        }
        try {
            ctx.settings.inbound().receive(m);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("remote-peer-id", PeerContext.hex(hello.from()))
                .addKeyValue("error", PeerContext.describe(e)).log("the member failed to take a raft message");
        }
    }

    private void request(Channel ch, ByteBuf payload) {
        Frames.need(payload, 12, FrameType.REQUEST);
        long call = payload.readLong();
        int method = payload.readInt();
        byte[] body = ByteBufUtil.getBytes(payload);
        CompletableFuture<byte[]> answer;
        try {
            answer = ctx.settings.inbound().handle(hello.from(), method, body);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> ch.writeAndFlush(Frames.response(ch.alloc(), call, result,
            error == null ? null : PeerContext.describe(error), ctx.limits.maxFrameBytes())));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable e) {
        Throwable t = PeerContext.unwrap(e);
        long from = hello == null ? 0 : hello.from();
        if (t instanceof PeerProtocolException) {
            closing = true;
            LOG.atWarn().addKeyValue("remote-peer-id", PeerContext.hex(from))
                .addKeyValue("remote-addr", c.channel().remoteAddress()).addKeyValue("error", t.getMessage())
                .log("closing a peer connection that broke the protocol");
            c.writeAndFlush(Frames.error(c.alloc(), t.getMessage())).addListener(ChannelFutureListener.CLOSE);
        } else {
            var log = t instanceof IOException ? LOG.atDebug() : LOG.atWarn();
            log.addKeyValue("remote-peer-id", PeerContext.hex(from)).addKeyValue("error", PeerContext.describe(t))
                .log("peer connection failed");
            c.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        if (snapshot != null) {
            snapshot.connectionLost();
        }
        c.fireChannelInactive();
    }
}
