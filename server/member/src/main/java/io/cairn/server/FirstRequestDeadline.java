package io.cairn.server;

import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose first request has not arrived (headers complete) within a deadline of its
 * accept: slow-header clients ("slowloris": a request head sent a byte at a time, an HTTP/2 header block that
 * never ends) and clients that connect and say nothing hold a socket and buffers only that long, instead of the
 * keepalive-derived idle timeout (2 h 20 s with etcd's defaults). A connection that has carried a request is
 * governed by the idle timeout alone. Works the same behind TLS: the deadline is armed by a Netty handler when the
 * connection is accepted ({@link #install}) and disarmed by a service decorator when Armeria hands the first
 * request to a service ({@link #decorator}), the two matched by the connection's remote address.
 *
 * <p>Thread-safe: the pending map is concurrent; each deadline runs on its connection's event loop.
 */
final class FirstRequestDeadline {
    private final long timeoutNanos;
    /** Connections accepted and not yet through their first request, by remote address. */
    private final ConcurrentHashMap<SocketAddress, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    /** @param timeout how long a new connection has to deliver its first request's headers; positive */
    FirstRequestDeadline(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("first request timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /** For {@code ServerBuilder.childChannelPipelineCustomizer}: arms the deadline of each accepted connection. */
    void install(ChannelPipeline pipeline) {
        pipeline.addFirst("cairn-first-request-deadline", new Arm());
    }

    /** For {@code ServerBuilder.decorator}: a request reached a service, so its connection has made it. */
    DecoratingHttpServiceFunction decorator() {
        return (delegate, ctx, req) -> {
            ScheduledFuture<?> deadline = pending.remove(ctx.remoteAddress());
            if (deadline != null) {
                deadline.cancel(false);
            }
            return delegate.serve(ctx, req);
        };
    }

    /** Connections still waiting for their first request (for tests and metrics). */
    int pendingConnections() {
        return pending.size();
    }

    /** Arms the deadline once the connection is active, then leaves the pipeline. */
    private final class Arm extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                arm(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm(ctx);
            ctx.fireChannelActive();
        }

        private void arm(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            SocketAddress remote = ch.remoteAddress();
            if (remote != null) {
                Expiry expiry = new Expiry(ch, remote);
                ScheduledFuture<?> f = ch.eventLoop().schedule(expiry, timeoutNanos, TimeUnit.NANOSECONDS);
                expiry.future = f;
                pending.put(remote, f);
                ch.closeFuture().addListener(x -> {
                    if (pending.remove(remote, f)) {
                        f.cancel(false);
                    }
                });
            }
            ctx.pipeline().remove(this);
        }
    }

    /** Closes the connection if it is still pending when the deadline comes. */
    private final class Expiry implements Runnable {
        private final Channel channel;
        private final SocketAddress remote;
        /** Set on the event loop right after scheduling, before the task can run there. */
        private ScheduledFuture<?> future;

        Expiry(Channel channel, SocketAddress remote) {
            this.channel = channel;
            this.remote = remote;
        }

        @Override
        public void run() {
            if (pending.remove(remote, future)) {
                channel.close();
            }
        }
    }
}
