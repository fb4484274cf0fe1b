package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything bound for one peer: the bounded queue of raft messages, the stream they are written to
 * ({@link StreamDialer}), the RPC calls riding on that stream, and the one snapshot allowed in flight.
 *
 * <p>{@link #enqueue} (raft thread) only offers to the queue and, if no drain is pending, schedules one on the
 * peer's event loop; the drain writes every queued message while the connection is writable and flushes once,
 * so a burst of messages from one Ready leaves in one write. While the peer is unreachable or slow (connection
 * not writable) messages wait in the queue; once it is full, new ones are dropped, counted and reported
 * unreachable, so raft falls back to probing instead of the transport buffering without limit.
 */
final class PeerLink implements StreamDialer.Link {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

    private final long id;
    private final PeerContext ctx;
    private final EventLoop loop;
    private final PeerCounters counters;
    private final ArrayBlockingQueue<Message> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final StreamDialer dialer;
    private final RpcCalls calls;
    private final AtomicReference<SnapshotSender> snapshot = new AtomicReference<>();
    private volatile boolean overflowing;
    private volatile boolean closed;

    PeerLink(long id, List<URI> urls, PeerContext ctx) {
        this.id = id;
        this.ctx = ctx;
        this.loop = ctx.group.next();
        this.counters = ctx.counters(id);
        this.queue = new ArrayBlockingQueue<>(ctx.limits.queueMessages());
        this.dialer = new StreamDialer(id, urls, ctx, loop, this, counters);
        this.calls = new RpcCalls(id, loop);
    }

    void start() {
        dialer.start();
    }

    boolean isActive() {
        return dialer.isActive();
    }

    void update(List<URI> urls) {
        execute(() -> dialer.update(urls));
    }

    /** Queues {@code m} for the stream; never blocks. */
    void enqueue(Message m) {
        if (closed) {
            return;
        }
        if (!queue.offer(m)) {
            dropped(m);
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            execute(this::drain);
        }
    }

    private void dropped(Message m) {
        counters.sentFailures.increment();
        if (!overflowing) {
            overflowing = true;
            LOG.atWarn().addKeyValue("local-member-id", PeerContext.hex(ctx.localId()))
                .addKeyValue("remote-peer-id", PeerContext.hex(id)).addKeyValue("message-type", m.getType())
                .addKeyValue("queue-limit", ctx.limits.queueMessages())
                .log("dropped internal Raft message since sending buffer is full (overloaded network)");
        }
        ctx.settings.reporter().unreachable(id);
    }

    private void drain() {
        drainScheduled.set(false);
        Channel ch = dialer.activeChannel();
        if (ch == null) {
            return;
        }
        boolean wrote = false;
        Message m;
        while (ch.isWritable() && (m = queue.poll()) != null) {
            ByteBuf frame;
            try {
                frame = Frames.message(ch.alloc(), FrameType.RAFT, m, ctx.limits.maxFrameBytes());
            } catch (PeerProtocolException e) {
                counters.sentFailures.increment();
                LOG.atWarn().addKeyValue("remote-peer-id", PeerContext.hex(id)).addKeyValue("error", e.getMessage())
                    .log("dropped a raft message too large to send");
                ctx.settings.reporter().unreachable(id);
                continue;
            }
            ch.write(frame, ch.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
        if (queue.isEmpty()) {
            overflowing = false;
        }
    }

    /** Starts sending the MsgSnap {@code m} on a snapshot thread, unless one is in flight already. */
    void sendSnapshot(Message m) {
        if (closed) {
            return;
        }
        SnapshotSender s = new SnapshotSender(ctx, id, m, counters, dialer.currentUrl());
        if (!snapshot.compareAndSet(null, s)) {
            counters.sentFailures.increment();
            LOG.atDebug().addKeyValue("remote-peer-id", PeerContext.hex(id)).addKeyValue("index",
                m.getSnapshot().getMetadata().getIndex()).log("dropped MsgSnap: a snapshot is in flight already");
            return;
        }
        try {
            ctx.snapshotThreads.execute(() -> finish(s, s.run()));
        } catch (RejectedExecutionException e) {
            LOG.atWarn().addKeyValue("remote-peer-id", PeerContext.hex(id))
                .addKeyValue("limit", ctx.limits.snapshotThreads()).log("too many snapshots in flight, not sending");
            finish(s, false);
        }
    }

    private void finish(SnapshotSender s, boolean ok) {
        snapshot.compareAndSet(s, null);
        (ok ? counters.snapshotSendSuccess : counters.snapshotSendFailures).increment();
        ctx.settings.reporter().snapshotStatus(id, !ok);
    }

    CompletableFuture<byte[]> call(int method, byte[] body, Duration timeout) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        if (body.length + 13 > ctx.limits.maxFrameBytes()) {
            f.completeExceptionally(new IllegalArgumentException(String.format("request of %d bytes exceeds the "
                + "frame limit of %d bytes", body.length, ctx.limits.maxFrameBytes())));
        } else if (!execute(() -> calls.start(dialer.activeChannel(), method, body, timeout, f))) {
            f.completeExceptionally(new PeerUnavailableException(id, "the peer transport is closed"));
        }
        return f;
    }

    /** Stops everything for this peer; the future is done when the stream is closed. */
    Future<?> close() {
        closed = true;
        queue.clear();
        SnapshotSender s = snapshot.get();
        if (s != null) {
            s.abort();
        }
        try {
            return loop.submit(() -> {
                dialer.close();
                calls.failAll(new PeerUnavailableException(id, String.format("peer %x was removed or the "
                    + "transport closed", id)));
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public void active(Channel ch) {
        drain();
    }

    @Override
    public void frame(Frame f) {
        if (f.type() != FrameType.RESPONSE) {
            throw new PeerProtocolException("unexpected " + f.type() + " frame on a stream to a peer");
        }
        calls.complete(f.payload());
    }

    @Override
    public void writable() {
        drain();
    }

    @Override
    public void inactive(boolean wasActive) {
        calls.failAll(new PeerUnavailableException(id, String.format("connection to peer %x lost", id)));
        if (wasActive && !closed) {
            ctx.settings.reporter().unreachable(id);
        }
    }

    private boolean execute(Runnable r) {
        try {
            loop.execute(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
