package io.cairn.server.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one handshaken STREAM connection to a peer open: dials its URLs in turn (the next one after a failed
 * attempt), redials after a {@link Backoff} delay whenever the connection fails or breaks, and tells its
 * {@link Link} when the stream becomes usable or stops being so. Logs at INFO only when the peer becomes active
 * or inactive, not per attempt. Everything but {@link #isActive} and {@link #currentUrl} runs on {@code loop}.
 */
final class StreamDialer implements DialHandler.Events {
    /** The owner of the stream. All calls on the event loop. */
    interface Link {
        void active(Channel ch);

        void frame(Frame f);

        void writable();

        void inactive(boolean wasActive);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamDialer.class);

    private final long peer;
    private final PeerContext ctx;
    private final EventLoop loop;
    private final Link link;
    private final PeerCounters counters;
    private final Backoff backoff;
    private volatile List<URI> urls;
    private volatile int urlIndex;
    private volatile boolean active;
    private Channel channel;
    private boolean closed;
    private ScheduledFuture<?> retry;

    StreamDialer(long peer, List<URI> urls, PeerContext ctx, EventLoop loop, Link link, PeerCounters counters) {
        this.peer = peer;
        this.urls = List.copyOf(urls);
        this.ctx = ctx;
        this.loop = loop;
        this.link = link;
        this.counters = counters;
        this.backoff = new Backoff(ctx.limits.backoffMin(), ctx.limits.backoffMax(), new SplittableRandom());
    }

    void start() {
        loop.execute(this::connect);
    }

    boolean isActive() {
        return active;
    }

    /** The URL in use (or to be dialed next); any thread. */
    URI currentUrl() {
        List<URI> u = urls;
        return u.get(Math.floorMod(urlIndex, u.size()));
    }

    /** The connection, once its handshake succeeded; null otherwise. */
    Channel activeChannel() {
        return active ? channel : null;
    }

    /** New URLs: a connection to a URL no longer listed is closed (and redialed), a pending retry runs now. */
    void update(List<URI> newUrls) {
        if (closed || newUrls.equals(urls)) {
            return;
        }
        URI inUse = channel != null ? currentUrl() : null;
        urls = List.copyOf(newUrls);
        urlIndex = 0;
        if (inUse != null && !newUrls.contains(inUse)) {
            channel.close();
        } else if (retry != null && retry.cancel(false)) {
            backoff.reset();
            connect();
        }
    }

    void close() {
        closed = true;
        if (retry != null) {
            retry.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void connect() {
        retry = null;
        if (closed || channel != null) {
            return;
        }
        URI url = currentUrl();
        DialHandler handler = new DialHandler(ctx.hello(peer, Hello.Purpose.STREAM),
            ctx.limits.handshakeTimeout().toMillis(), this);
        ChannelFuture f = ctx.dial(loop, url, counters, handler);
        channel = f.channel();
        f.addListener(r -> {
            if (!r.isSuccess()) {
                handler.connectFailed(f.channel(), r.cause());
            }
        });
    }

    @Override
    public void accepted(Channel ch) {
        if (ch != channel) {
            ch.close();
            return;
        }
        boolean was = active;
        active = true;
        backoff.reset();
        if (!was) {
            LOG.atInfo().addKeyValue("local-member-id", PeerContext.hex(ctx.localId()))
                .addKeyValue("remote-peer-id", PeerContext.hex(peer)).addKeyValue("remote-url", currentUrl())
                .log("peer became active");
            ctx.settings.listener().activeChanged(peer, true);
        }
        link.active(ch);
    }

    @Override
    public void refused(Channel ch, String reason) {
        ctx.refused(LOG, peer, reason, false);
    }

    @Override
    public void frame(Channel ch, Frame f) {
        if (ch == channel) {
            link.frame(f);
        }
    }

    @Override
    public void writabilityChanged(Channel ch) {
        if (ch == channel && ch.isWritable()) {
            link.writable();
        }
    }

    @Override
    public void closed(Channel ch, Throwable cause) {
        if (ch != channel) {
            return;
        }
        channel = null;
        boolean was = active;
        active = false;
        if (was) {
            LOG.atInfo().addKeyValue("local-member-id", PeerContext.hex(ctx.localId()))
                .addKeyValue("remote-peer-id", PeerContext.hex(peer))
                .addKeyValue("error", cause == null ? "connection closed" : PeerContext.describe(cause))
                .log("peer became inactive (message send to peer failed)");
            ctx.settings.listener().activeChanged(peer, false);
        } else {
            LOG.atDebug().addKeyValue("remote-peer-id", PeerContext.hex(peer)).addKeyValue("remote-url", currentUrl())
                .addKeyValue("error", cause == null ? "connection closed" : PeerContext.describe(cause))
                .log("cannot connect to peer");
            urlIndex = urlIndex + 1;
        }
        link.inactive(was);
        if (!closed) {
            retry = loop.schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
