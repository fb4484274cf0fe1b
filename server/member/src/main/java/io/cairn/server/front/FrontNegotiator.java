package io.cairn.server.front;

import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The protocol "negotiation" of a client port served by grpc-java's Netty server, as etcd's cmux splits its client
 * port: the first bytes of a connection decide. The HTTP/2 client preface ({@code PRI ...}, clear-text gRPC, what
 * etcdctl and the other etcd clients send) stays with grpc-java; a TLS record or any other clear text (HTTP/1.1:
 * the JSON gateway, /health, /metrics) is relayed byte for byte to {@code fallback}, the member's Armeria server,
 * which terminates TLS and serves the rest. A port serves the protocols its URLs name: clear text for http://,
 * TLS for https://; anything else is closed.
 *
 * <p>Until a connection's first request head has arrived it is on a deadline ({@code firstRequest}, like
 * {@code FirstRequestDeadline} on Armeria's side): a connection that says nothing, stops inside its first bytes,
 * or never completes its first HTTP/2 header block is closed. A relayed connection's deadline passes to Armeria.
 *
 * <p>Uses grpc-java's internal negotiator API ({@link InternalProtocolNegotiator}): the sniffer holds grpc-java's
 * negotiation event until it knows the connection is gRPC, then hands both to grpc-java's plaintext negotiator.
 */
public final class FrontNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final byte[] PREFACE = "PRI ".getBytes(StandardCharsets.US_ASCII);
    /** The HTTP/2 client preface, which precedes the first frame. */
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER = 9;
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;
    /** The content type of a TLS handshake record, the first byte a TLS client sends. */
    private static final int TLS_HANDSHAKE = 0x16;

    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext =
        InternalProtocolNegotiators.serverPlaintext();
    private final SocketAddress fallback;
    private final boolean clearText;
    private final boolean tls;
    private final long firstRequestNanos;

    /**
     * @param fallback where connections that are not clear-text gRPC go
     * @param clearText whether the port serves http:// (clear-text gRPC and HTTP)
     * @param tls whether the port serves https://
     * @param firstRequest how long a connection has to deliver its first request head
     */
    public FrontNegotiator(SocketAddress fallback, boolean clearText, boolean tls, Duration firstRequest) {
        this.fallback = fallback;
        this.clearText = clearText;
        this.tls = tls;
        this.firstRequestNanos = firstRequest.toNanos();
    }

    @Override
    public AsciiString scheme() {
        return plaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Sniffer(plaintext.newHandler(grpcHandler));
    }

    @Override
    public void close() {
        plaintext.close();
    }

    /** What the first bytes say. */
    private enum Verdict { UNDECIDED, GRPC, RELAY, REFUSE }

    private Verdict judge(ByteBuf buf) {
        int first = buf.getUnsignedByte(buf.readerIndex());
        if (first == TLS_HANDSHAKE) {
            return tls ? Verdict.RELAY : Verdict.REFUSE;
        }
        if (!clearText) {
            return Verdict.REFUSE;
        }
        int n = Math.min(buf.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (buf.getByte(buf.readerIndex() + i) != PREFACE[i]) {
                return Verdict.RELAY;
            }
        }
        return n < PREFACE.length ? Verdict.UNDECIDED : Verdict.GRPC;
    }

    /**
     * First sorts the connection out, then (gRPC) watches the HTTP/2 frames go by until the first complete header
     * block and leaves the pipeline.
     */
    private final class Sniffer extends ChannelInboundHandlerAdapter {
        private final ChannelHandler grpc;
        private final List<Object> events = new ArrayList<>();
        private ByteBuf head;
        private ScheduledFuture<?> deadline;
        private boolean sorted;
        /** Frame watching: bytes of payload (or preface) still to skip, and the frame header read so far. */
        private long skip = PREFACE_LENGTH;
        private final byte[] frame = new byte[FRAME_HEADER];
        private int frameRead;

        Sniffer(ChannelHandler grpc) {
            this.grpc = grpc;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            deadline = ctx.executor().schedule(() -> ctx.channel().close(), firstRequestNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            deadline.cancel(false);
            if (head != null) {
                head.release();
                head = null;
            }
            events.forEach(ReferenceCountUtil::release);
            events.clear();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (sorted) {
                ctx.fireUserEventTriggered(evt);
            } else {
                events.add(evt); // grpc-java's negotiation event: for its negotiator, once the connection is gRPC
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (sorted) {
                watch(ctx, (ByteBuf) msg);
                return;
            }
            ByteBuf in = (ByteBuf) msg;
            if (head == null) {
                head = ctx.alloc().buffer(in.readableBytes());
            }
            head.writeBytes(in);
            in.release();
            Verdict verdict = judge(head);
            if (verdict == Verdict.UNDECIDED) {
                return;
            }
            ByteBuf bytes = head;
            head = null;
            switch (verdict) {
                case GRPC -> toGrpc(ctx, bytes);
                case RELAY -> Relay.start(ctx, this, bytes, fallback);
                default -> {
                    bytes.release();
                    ctx.close();
                }
            }
        }

        private void toGrpc(ChannelHandlerContext ctx, ByteBuf bytes) {
            sorted = true;
            ctx.pipeline().addAfter(ctx.name(), null, grpc);
            List<Object> held = new ArrayList<>(events);
            events.clear();
            held.forEach(ctx::fireUserEventTriggered);
            watch(ctx, bytes);
        }

        /** Passes {@code bytes} on; leaves once they complete the first header block. */
        private void watch(ChannelHandlerContext ctx, ByteBuf bytes) {
            boolean done = false;
            for (int i = bytes.readerIndex(), end = bytes.writerIndex(); i < end && !done; ) {
                if (skip > 0) {
                    int k = (int) Math.min(skip, end - i);
                    skip -= k;
                    i += k;
                    continue;
                }
                frame[frameRead++] = bytes.getByte(i++);
                if (frameRead == FRAME_HEADER) {
                    frameRead = 0;
                    int type = frame[3];
                    done = (type == HEADERS || type == CONTINUATION) && (frame[4] & END_HEADERS) != 0;
                    skip = ((frame[0] & 0xffL) << 16) | ((frame[1] & 0xffL) << 8) | (frame[2] & 0xffL);
                }
            }
            ctx.fireChannelRead(bytes);
            if (done && ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        }
    }
}
