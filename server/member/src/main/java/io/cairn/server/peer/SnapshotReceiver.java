package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting end of a snapshot connection: the SNAPSHOT frame starts {@link Inbound#receiveSnapshot} on a
 * snapshot thread with a {@link ChunkInputStream} that the following CHUNK frames fill and END closes; when it
 * returns (or throws) the verdict goes back as SNAPSHOT_ACK and the connection closes. Frames arrive on the event
 * loop; the stream's flow control pauses reading while the consumer is behind.
 */
final class SnapshotReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final PeerContext ctx;
    private final Channel channel;
    private final long from;
    private ChunkInputStream image;

    SnapshotReceiver(PeerContext ctx, Channel channel, long from) {
        this.ctx = ctx;
        this.channel = channel;
        this.from = from;
    }

    void frame(Frame f) {
        switch (f.type()) {
            case SNAPSHOT -> start(Frames.parseMessage(f.payload()));
            case CHUNK -> started(f).offer(f.payload().retain());
            case END -> {
                Frames.need(f.payload(), 8, FrameType.END);
                started(f).end(f.payload().readLong());
            }
            default -> throw new PeerProtocolException("unexpected " + f.type() + " frame on a snapshot connection");
        }
    }

    void connectionLost() {
        if (image != null) {
            image.fail(new IOException(String.format("connection from peer %x closed before the snapshot ended",
                from)));
        }
    }

    private ChunkInputStream started(Frame f) {
        if (image == null) {
            throw new PeerProtocolException(f.type() + " frame before SNAPSHOT");
        }
        return image;
    }

    private void start(Message m) {
        if (image != null) {
            throw new PeerProtocolException("a second SNAPSHOT frame on one connection");
        }
        if (m.getType() != MessageType.MsgSnap || m.getTo() != ctx.localId()) {
            throw new PeerProtocolException(String.format("expected a MsgSnap to %x, got %s to %x", ctx.localId(),
                m.getType(), m.getTo()));
        }
        long chunk = ctx.limits.snapshotChunkBytes();
        image = new ChunkInputStream(4 * chunk, chunk, ctx.limits.snapshotStallTimeout().toNanos(),
            on -> channel.config().setAutoRead(on));
        ChunkInputStream stream = image;
        try {
            ctx.snapshotThreads.execute(() -> receive(m, stream));
        } catch (RejectedExecutionException e) {
            stream.close();
            acknowledge(String.format("too many snapshots in flight (limit %d)", ctx.limits.snapshotThreads()));
        }
    }

    private void receive(Message m, ChunkInputStream stream) {
        long start = System.nanoTime();
        String failure = null;
        try {
            ctx.settings.inbound().receiveSnapshot(m, stream);
            stream.skipToEnd();
        } catch (IOException | RuntimeException e) {
            failure = PeerContext.describe(e);
        } finally {
            stream.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        var log = failure == null ? LOG.atInfo() : LOG.atWarn().addKeyValue("error", failure);
        log.addKeyValue("local-member-id", PeerContext.hex(ctx.localId()))
            .addKeyValue("remote-peer-id", PeerContext.hex(from))
            .addKeyValue("snapshot-index", m.getSnapshot().getMetadata().getIndex())
            .addKeyValue("snapshot-size-bytes", stream.bytesRead()).addKeyValue("took-ms", took.toMillis())
            .log(failure == null ? "received database snapshot" : "failed to receive database snapshot");
        ctx.settings.listener().snapshotReceived(from, stream.bytesRead(), took, Optional.ofNullable(failure));
        acknowledge(failure);
    }

    /**
     * Sends the verdict. After a success the image has ended, so the connection closes at once; after a failure
     * the sender may still be writing, and closing with its data unread would reset the connection and could
     * lose the verdict: the sender closes instead when it reads it (and this end after the handshake timeout).
     */
    private void acknowledge(String failure) {
        ChannelFuture f = channel.writeAndFlush(Frames.snapshotAck(channel.alloc(), failure));
        if (failure == null) {
            f.addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.eventLoop().schedule(() -> channel.close(), ctx.limits.handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        }
    }
}
