package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.server.consensus.RaftLoop;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's rafthttp on Netty TCP: accepts peers on the listen addresses, keeps one outbound stream per known peer
 * for raft messages and RPC calls, sends snapshots on connections of their own, and counts what goes through.
 * The wire format and the threads are described in the package doc.
 *
 * <p>Lifecycle: {@link #open} binds and starts the threads; {@link #addPeer}, {@link #updatePeer},
 * {@link #removePeer} follow membership; {@link #close} stops everything. Thread-safe: {@link #send} is called by
 * the raft thread and never blocks; everything else may be called from any thread.
 */
public final class PeerTransport implements RaftLoop.Transport, AutoCloseable {
    /** How long {@link #close} waits for each stage (links, threads) to stop. */
    static final long CLOSE_WAIT_MILLIS = 1000;
    /** Repeated refusals of the same peer for the same reason log at WARN at most this often. */
    static final long REFUSAL_WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);

    private final PeerContext ctx;
    private final List<Channel> servers;
    private final Map<Long, PeerLink> links = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private PeerTransport(PeerContext ctx, List<Channel> servers) {
        this.ctx = ctx;
        this.servers = servers;
    }

    /** Starts the threads and listens on every address of {@code settings}; fails if one cannot be bound. */
    public static PeerTransport open(PeerSettings settings) {
        PeerLimits limits = settings.limits();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(limits.ioThreads(),
            new DefaultThreadFactory("cairn-peer-io", true), NioIoHandler.newFactory());
        AtomicInteger snapshotThreadCount = new AtomicInteger();
        ThreadPoolExecutor snapshots = new ThreadPoolExecutor(limits.snapshotThreads(), limits.snapshotThreads(),
            30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "cairn-peer-snapshot-" + snapshotThreadCount.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        snapshots.allowCoreThreadTimeOut(true);
        PeerContext ctx = new PeerContext(settings, group, snapshots,
            new DefaultChannelGroup("cairn-peer-accepted", group.next()),
            new WarnLimiter(REFUSAL_WARN_INTERVAL_NANOS, System::nanoTime));
        List<Channel> servers = new ArrayList<>();
        try {
            for (InetSocketAddress address : settings.listen()) {
                ChannelFuture f = serverBootstrap(ctx, address).bind(address).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    throw new UncheckedIOException(new IOException(String.format("cannot listen for peers on %s: %s",
                        address, PeerContext.describe(f.cause())), f.cause()));
                }
                servers.add(f.channel());
            }
        } catch (RuntimeException e) {
            servers.forEach(Channel::close);
            snapshots.shutdownNow();
            group.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            throw e;
        }
        PeerTransport t = new PeerTransport(ctx, List.copyOf(servers));
        LOG.atInfo().addKeyValue("local-member-id", PeerContext.hex(settings.localId()))
            .addKeyValue("listen-peer-addresses", t.boundAddresses()).log("listening for peers");
        return t;
    }

    /**
     * An event loop of the peer channels for the member's raft loop to run on: with one I/O thread (the default) the
     * one every raft stream reads and writes on, so messages go between raft and the sockets without a hand-off.
     */
    public EventExecutor raftExecutor() {
        return ctx.group.next();
    }

    /** Accepts peers on {@code address} (one of the settings' listen addresses, as configured). */
    private static ServerBootstrap serverBootstrap(PeerContext ctx, InetSocketAddress address) {
        return new ServerBootstrap().group(ctx.group).channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PeerContext.WATER_MARK)
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ctx.settings.security().initAccepted(ch, address);
                    ByteCounter counter = new ByteCounter(null);
                    ch.pipeline().addLast(counter, new FrameDecoder(ctx.limits.maxFrameBytes()),
                        new InboundHandler(ctx, counter));
                    ctx.accepted.add(ch);
                }
            });
    }

    /** The addresses actually bound (ephemeral ports resolved), in the order of the settings. */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        servers.forEach(ch -> out.add((InetSocketAddress) ch.localAddress()));
        return out;
    }

    public long localId() {
        return ctx.localId();
    }

    /**
     * Whether a peer refused member {@code localId} because the cluster removed it (the reason
     * {@link PeerListener#refused} reports): etcd's "the member has been permanently removed from the cluster".
     */
    public static boolean isRemovalOf(long localId, String reason) {
        return Hello.removed(localId).equals(reason);
    }

    /** Starts dialing a new peer at {@code peerUrls} (tried in turn). */
    public void addPeer(long id, List<URI> peerUrls) {
        List<URI> urls = checkUrls(id, peerUrls);
        if (id == 0 || id == ctx.localId()) {
            throw new IllegalArgumentException(String.format("cannot add peer %x (local member %x)", id,
                ctx.localId()));
        }
        if (closed.get()) {
            throw new IllegalStateException("the peer transport is closed");
        }
        PeerLink link = new PeerLink(id, urls, ctx);
        if (links.putIfAbsent(id, link) != null) {
            throw new IllegalStateException(String.format("peer %x was added already", id));
        }
        link.start();
        LOG.atInfo().addKeyValue("local-member-id", PeerContext.hex(ctx.localId()))
            .addKeyValue("remote-peer-id", PeerContext.hex(id)).addKeyValue("remote-peer-urls", urls)
            .log("added remote peer");
    }

    /** New URLs for a known peer (etcd's member update); its stream moves if its URL is gone. */
    public void updatePeer(long id, List<URI> peerUrls) {
        List<URI> urls = checkUrls(id, peerUrls);
        PeerLink link = links.get(id);
        if (link == null) {
            throw new IllegalStateException(String.format("peer %x is unknown", id));
        }
        link.update(urls);
        LOG.atInfo().addKeyValue("remote-peer-id", PeerContext.hex(id)).addKeyValue("remote-peer-urls", urls)
            .log("updated remote peer");
    }

    /**
     * Forgets a peer: its queue is dropped, its calls fail, its snapshot is aborted, its counters go, and the
     * connections it opened to us are closed. Unknown IDs are ignored.
     */
    public void removePeer(long id) {
        PeerLink link = links.remove(id);
        if (link != null) {
            link.close();
            LOG.atInfo().addKeyValue("remote-peer-id", PeerContext.hex(id)).log("removed remote peer");
        }
        ctx.accepted.close(ch -> Long.valueOf(id).equals(ch.attr(InboundHandler.REMOTE_ID).get()));
        ctx.forget(id);
    }

    /**
     * Queues raft messages for their peers; never blocks. A MsgSnap starts a snapshot send instead (dropped if
     * one to that peer is in flight); messages to unknown peers are dropped and counted
     * ({@link #droppedUnknownPeer}); a full queue drops, counts and reports the peer unreachable.
     */
    @Override
    public void send(List<Message> messages) {
        if (closed.get()) {
            return;
        }
        for (Message m : messages) {
            PeerLink link = links.get(m.getTo());
            if (link == null) {
                ctx.droppedUnknownPeer.increment();
                LOG.atDebug().addKeyValue("remote-peer-id", PeerContext.hex(m.getTo()))
                    .addKeyValue("message-type", m.getType()).log("ignored message send request; unknown remote peer");
            } else if (m.getType() == MessageType.MsgSnap) {
                link.sendSnapshot(m);
            } else {
                link.enqueue(m);
            }
        }
    }

    /**
     * Calls {@code method} on {@code peer}'s {@link Inbound#handle} over the stream to it. Fails with
     * {@link PeerUnavailableException} when the peer is unknown or not connected right now (no waiting for a
     * reconnect), {@link RemoteCallException} when the handler failed, {@link TimeoutException} after
     * {@code timeout}. The future completes on a Netty thread: continue with {@code *Async} stages.
     */
    public CompletableFuture<byte[]> call(long peer, int method, byte[] body, Duration timeout) {
        PeerLink link = links.get(peer);
        if (link == null || closed.get()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException(peer, closed.get()
                ? "the peer transport is closed" : String.format("peer %x is unknown", peer)));
        }
        return link.call(method, body, timeout);
    }

    /** Peers whose outbound stream has completed its handshake, by ID. */
    public Set<Long> activePeers() {
        Set<Long> out = new TreeSet<>();
        links.forEach((id, link) -> {
            if (link.isActive()) {
                out.add(id);
            }
        });
        return out;
    }

    public boolean isActive(long id) {
        PeerLink link = links.get(id);
        return link != null && link.isActive();
    }

    /** Every peer's counters, by ID: known peers and any member that connected to us. */
    public Map<Long, PeerStats> stats() {
        return ctx.stats();
    }

    /** One peer's counters; zeros when none were kept. */
    public PeerStats stats(long id) {
        return ctx.stats(id);
    }

    /** Messages {@link #send} dropped because their {@code to} is not a known peer. */
    public long droppedUnknownPeer() {
        return ctx.droppedUnknownPeer.sum();
    }

    /** Inbound raft messages dropped because their {@code to} is not this member. */
    public long droppedMisaddressed() {
        return ctx.droppedMisaddressed.sum();
    }

    /** Stops listening, closes every connection, fails pending calls, stops the threads. Idempotent, prompt. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        servers.forEach(Channel::close);
        List<Future<?>> closing = new ArrayList<>();
        links.values().forEach(link -> closing.add(link.close()));
        links.clear();
        ctx.accepted.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (Future<?> f : closing) {
            awaitQuietly(f, deadline);
        }
        ctx.snapshotThreads.shutdownNow();
        awaitQuietly(ctx.group.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * CLOSE_WAIT_MILLIS));
        LOG.atInfo().addKeyValue("local-member-id", PeerContext.hex(ctx.localId())).log("stopped peer transport");
    }

    private List<URI> checkUrls(long id, List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(String.format("peer %x has no URLs", id));
        }
        for (URI u : urls) {
            if (!ctx.settings.security().dials(u.getScheme())) {
                throw new IllegalArgumentException(String.format("peer %x URL %s: %s:// peer URLs need peer TLS "
                    + "(--peer-cert-file and --peer-key-file, or --peer-auto-tls)", id, u, u.getScheme()));
            }
            if (u.getHost() == null || u.getPort() <= 0) {
                throw new IllegalArgumentException(String.format("peer %x URL %s needs a host and a port", id, u));
            }
        }
        return List.copyOf(urls);
    }

    private void awaitQuietly(Future<?> f, long deadlineNanos) {
        for (EventExecutor e : ctx.group) {
            if (e.inEventLoop()) {
                return;
            }
        }
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.atDebug().addKeyValue("error", PeerContext.describe(e)).log("peer transport slow to stop");
        }
    }
}
