package io.cairn.server.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/** What every part of one {@link PeerTransport} shares: settings, threads, counters, the refusal log. */
final class PeerContext {
    /** Per connection: writes stop (queue instead) above 4 MiB unflushed and resume below 2 MiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(2 << 20, 4 << 20);

    final PeerSettings settings;
    final PeerLimits limits;
    final EventLoopGroup group;
    final ExecutorService snapshotThreads;
    final ChannelGroup accepted;
    final WarnLimiter warnings;
    final LongAdder droppedUnknownPeer = new LongAdder();
    final LongAdder droppedMisaddressed = new LongAdder();
    private final Map<Long, PeerCounters> counters = new ConcurrentHashMap<>();

    PeerContext(PeerSettings settings, EventLoopGroup group, ExecutorService snapshotThreads, ChannelGroup accepted,
        WarnLimiter warnings) {
        this.settings = settings;
        this.limits = settings.limits();
        this.group = group;
        this.snapshotThreads = snapshotThreads;
        this.accepted = accepted;
        this.warnings = warnings;
    }

    long localId() {
        return settings.localId();
    }

    PeerCounters counters(long peer) {
        return counters.computeIfAbsent(peer, k -> new PeerCounters());
    }

    void forget(long peer) {
        counters.remove(peer);
    }

    PeerStats stats(long peer) {
        PeerCounters c = counters.get(peer);
        return c == null ? new PeerStats(0, 0, 0, 0, 0) : c.stats();
    }

    Map<Long, PeerStats> stats() {
        Map<Long, PeerStats> out = new HashMap<>();
        counters.forEach((id, c) -> out.put(id, c.stats()));
        return out;
    }

    Hello hello(long to, Hello.Purpose purpose) {
        return new Hello(Hello.VERSION, settings.clusterId(), settings.localId(), to, purpose);
    }

    /** Opens a connection to {@code url} on {@code loop}: security, byte counting, framing, then {@code handler}. */
    ChannelFuture dial(EventLoop loop, URI url, PeerCounters c, ChannelHandler handler) {
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    settings.security().initDialed(ch, url);
                    ch.pipeline().addLast(new ByteCounter(c), new FrameDecoder(limits.maxFrameBytes()), handler);
                }
            })
            .connect(url.getHost(), url.getPort());
    }

    /**
     * A handshake with {@code peer} was refused: WARN (then DEBUG for repeats within a minute) and tell the
     * listener. Both sides call this, so both logs carry the reason.
     */
    void refused(Logger log, long peer, String reason, boolean byLocal) {
        String what = byLocal ? "refused a connection from peer" : "peer refused our connection";
        if (warnings.shouldWarn(peer + (byLocal ? "<" : ">") + reason)) {
            log.atWarn().addKeyValue("local-member-id", hex(localId())).addKeyValue("remote-peer-id", hex(peer))
                .addKeyValue("error", reason).log(what);
        } else {
            log.atDebug().addKeyValue("remote-peer-id", hex(peer)).addKeyValue("error", reason).log(what);
        }
        settings.listener().refused(peer, reason, byLocal);
    }

    static String hex(long id) {
        return Long.toHexString(id);
    }

    /** The message of a failure, unwrapped from the future and codec wrappers around it. */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException
            || e instanceof DecoderException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
