package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The calls in flight on one peer's stream, by correlation ID. IDs only grow, across reconnects too, so a late
 * RESPONSE never matches a newer call. Each call completes once: with the answer, the remote failure, a
 * {@link TimeoutException}, or a {@link PeerUnavailableException} when the connection breaks. Runs on the
 * peer's event loop only; futures complete there, so callers should continue with {@code *Async} stages.
 */
final class RpcCalls {
    private record Pending(CompletableFuture<byte[]> future, int method, ScheduledFuture<?> timeout) {
    }

    private final long peer;
    private final EventLoop loop;
    private final Map<Long, Pending> pending = new HashMap<>();
    private long lastCall;

    RpcCalls(long peer, EventLoop loop) {
        this.peer = peer;
        this.loop = loop;
    }

    void start(Channel ch, int method, byte[] body, Duration timeout, CompletableFuture<byte[]> f) {
        if (ch == null) {
            f.completeExceptionally(new PeerUnavailableException(peer, String.format("no connection to peer %x",
                peer)));
            return;
        }
        long call = ++lastCall;
        ScheduledFuture<?> t = loop.schedule(() -> expire(call, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        pending.put(call, new Pending(f, method, t));
        ch.writeAndFlush(Frames.request(ch.alloc(), call, method, body)).addListener(w -> {
            if (!w.isSuccess()) {
                fail(call, new PeerUnavailableException(peer, String.format("cannot send to peer %x: %s", peer,
                    PeerContext.describe(w.cause())), w.cause()));
            }
        });
    }

    void complete(ByteBuf payload) {
        Frames.need(payload, 9, FrameType.RESPONSE);
        long call = payload.readLong();
        boolean ok = payload.readByte() == 0;
        Pending p = pending.remove(call);
        if (p == null) {
            return;
        }
        p.timeout.cancel(false);
        if (ok) {
            p.future.complete(ByteBufUtil.getBytes(payload));
        } else {
            p.future.completeExceptionally(new RemoteCallException(peer, p.method, Frames.text(payload)));
        }
    }

    void failAll(Throwable t) {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            p.timeout.cancel(false);
            p.future.completeExceptionally(t);
        }
    }

    private void fail(long call, Throwable t) {
        Pending p = pending.remove(call);
        if (p != null) {
            p.timeout.cancel(false);
            p.future.completeExceptionally(t);
        }
    }

    private void expire(long call, Duration timeout) {
        Pending p = pending.remove(call);
        if (p != null) {
            p.future.completeExceptionally(new TimeoutException(String.format(
                "peer %x did not answer method %d within %d ms", peer, p.method, timeout.toMillis())));
        }
    }
}
