package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one MsgSnap on its own short-lived connection, from a snapshot thread: HELLO (purpose SNAPSHOT), the
 * message, the backend image from {@link SnapshotSource} in CHUNK frames through a blocking
 * {@link ChannelOutputStream}, END with the image size; then waits for the receiver's SNAPSHOT_ACK. The result is
 * the ack's verdict; any failure on the way (refused, connection lost, stalled, no ack in time) is a failure, and
 * when the receiver said why, its reason is the one logged.
 */
final class SnapshotSender implements DialHandler.Events {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

    private final PeerContext ctx;
    private final long to;
    private final Message message;
    private final PeerCounters counters;
    private final URI url;
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final CompletableFuture<Optional<String>> ack = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile ChannelOutputStream out;
    private volatile boolean aborted;

    SnapshotSender(PeerContext ctx, long to, Message message, PeerCounters counters, URI url) {
        this.ctx = ctx;
        this.to = to;
        this.message = message;
        this.counters = counters;
        this.url = url;
    }

    /** Sends the snapshot; returns whether the peer acknowledged it. Blocks: call on a snapshot thread. */
    boolean run() {
        long start = System.nanoTime();
        String failure;
        try {
            failure = send();
        } catch (IOException | RuntimeException e) {
            failure = reason(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } finally {
            ChannelOutputStream o = out;
            if (o != null) {
                o.release();
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long bytes = out == null ? 0 : out.total();
        var log = failure == null ? LOG.atInfo() : LOG.atWarn().addKeyValue("error", failure);
        log.addKeyValue("local-member-id", PeerContext.hex(ctx.localId()))
            .addKeyValue("remote-peer-id", PeerContext.hex(to))
            .addKeyValue("snapshot-index", message.getSnapshot().getMetadata().getIndex())
            .addKeyValue("snapshot-size-bytes", bytes).addKeyValue("took-ms", took.toMillis())
            .log(failure == null ? "sent database snapshot" : "failed to send database snapshot");
        ctx.settings.listener().snapshotSent(to, bytes, took, Optional.ofNullable(failure));
        return failure == null;
    }

    /** Closes the connection; a running {@link #run} fails promptly. */
    void abort() {
        aborted = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private String send() throws IOException, InterruptedException {
        Channel ch = connect();
        ch.writeAndFlush(Frames.message(ch.alloc(), FrameType.SNAPSHOT, message, ctx.limits.maxFrameBytes()));
        ChannelOutputStream o = new ChannelOutputStream(ch, ctx.limits.snapshotChunkBytes(),
            ctx.limits.snapshotStallTimeout().toNanos());
        out = o;
        if (!ch.isActive()) {
            throw new IOException("connection closed before the image was sent");
        }
        ctx.settings.snapshots().write(message, o);
        o.close();
        ch.writeAndFlush(Frames.end(ch.alloc(), o.total()));
        return await(ack, ctx.limits.snapshotAckTimeout(), "acknowledge the snapshot").orElse(null);
    }

    private Channel connect() throws IOException, InterruptedException {
        DialHandler handler = new DialHandler(ctx.hello(to, Hello.Purpose.SNAPSHOT),
            ctx.limits.handshakeTimeout().toMillis(), this);
        ChannelFuture f = ctx.dial(ctx.group.next(), url, counters, handler);
        channel = f.channel();
        f.addListener(r -> {
            if (!r.isSuccess()) {
                handler.connectFailed(f.channel(), r.cause());
            }
        });
        if (aborted) {
            f.channel().close();
        }
        await(handshake, ctx.limits.connectTimeout().plus(ctx.limits.handshakeTimeout()), "accept the connection");
        return f.channel();
    }

    private <T> T await(CompletableFuture<T> f, Duration timeout, String what)
        throws IOException, InterruptedException {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException(PeerContext.describe(e), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(String.format("peer %x did not %s within %d ms", to, what, timeout.toMillis()));
        }
    }

    /** The receiver's own reason when it sent one before the connection failed, else {@code e}'s. */
    private String reason(Exception e) {
        Optional<String> verdict = ack.isDone() && !ack.isCompletedExceptionally() ? ack.join() : Optional.empty();
        return verdict.orElseGet(() -> PeerContext.describe(e));
    }

    @Override
    public void accepted(Channel ch) {
        handshake.complete(null);
    }

    @Override
    public void refused(Channel ch, String reason) {
        ctx.refused(LOG, to, reason, false);
        handshake.completeExceptionally(new PeerUnavailableException(to, reason));
    }

    @Override
    public void frame(Channel ch, Frame f) {
        if (f.type() != FrameType.SNAPSHOT_ACK) {
            throw new PeerProtocolException("unexpected " + f.type() + " frame on a snapshot connection");
        }
        Optional<String> verdict = Frames.readAck(f.payload());
        ack.complete(verdict);
        if (verdict.isPresent()) {
            ch.close();
        }
    }

    @Override
    public void writabilityChanged(Channel ch) {
        ChannelOutputStream o = out;
        if (o != null) {
            o.signal();
        }
    }

    @Override
    public void closed(Channel ch, Throwable cause) {
        IOException e = new IOException(cause == null ? "connection closed"
            : "connection closed: " + PeerContext.describe(cause));
        handshake.completeExceptionally(e);
        ack.completeExceptionally(e);
        writabilityChanged(ch);
    }
}
