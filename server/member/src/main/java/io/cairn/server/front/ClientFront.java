package io.cairn.server.front;

import com.linecorp.armeria.common.CommonPools;
import io.cairn.server.config.ServerConfig;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The member's client ports: one grpc-java Netty server per listen address, serving clear-text gRPC itself (on
 * the event loops, as etcd's clients use it: the lighter path) and relaying every other connection (TLS, HTTP/1.1)
 * to the member's Armeria server ({@link FrontNegotiator}). gRPC as etcd's grpc-go server configures it: keepalive
 * pings every {@code --grpc-keepalive-interval} (a peer that does not answer within
 * {@code --grpc-keepalive-timeout} is dropped), clients' pings no more often than {@code --grpc-keepalive-min-time}
 * and only while calls are open, {@code --max-concurrent-streams}, messages up to the request limit.
 */
public final class ClientFront {
    /**
     * grpc-java logs every framing error a client makes (a WARNING with a stack trace, through java.util.logging);
     * the client gets its status, the log stays quiet. Held here so that the level sticks.
     */
    private static final Logger DEFRAME_FAILURES = Logger.getLogger("io.grpc.netty.NettyServerStream");

    static {
        DEFRAME_FAILURES.setLevel(Level.OFF);
    }

    private final List<Server> servers;

    private ClientFront(List<Server> servers) {
        this.servers = servers;
    }

    /** One listen address and the schemes its URLs name. */
    public record Port(InetSocketAddress address, boolean clearText, boolean tls) {
    }

    /**
     * What the front serves.
     *
     * @param services the gRPC services, interceptors applied
     * @param blocking the full names of the services whose calls may block (run off the event loops)
     * @param maxMessage the largest gRPC message accepted, bytes
     * @param firstRequest how long a new connection has to deliver its first request head
     */
    public record Services(List<ServerServiceDefinition> services, Set<String> blocking, int maxMessage,
                           ServerConfig.Grpc grpc, Duration firstRequest) {
    }

    /** Binds every port and starts serving; {@code fallback} is where non-gRPC connections go. */
    public static ClientFront start(List<Port> ports, SocketAddress fallback, Services s) {
        List<Server> servers = new ArrayList<>();
        try {
            for (Port p : ports) {
                servers.add(server(p, fallback, s).start());
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(Server::shutdownNow);
            throw e instanceof IOException io ? new UncheckedIOException("cannot listen for clients: "
                + io.getMessage(), io) : (RuntimeException) e;
        }
        return new ClientFront(servers);
    }

    private static Server server(Port p, SocketAddress fallback, Services s) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(p.address(), InternalNettyServerCredentials.create(
                new FrontNegotiator(fallback, p.clearText(), p.tls(), s.firstRequest())))
            .directExecutor()
            .handshakeTimeout(Long.MAX_VALUE, TimeUnit.MILLISECONDS) // relayed connections never finish one
            .maxInboundMessageSize(s.maxMessage())
            .maxConcurrentCallsPerConnection((int) Math.min(Integer.MAX_VALUE, s.grpc().maxConcurrentStreams()))
            .permitKeepAliveTime(s.grpc().keepaliveMinTime().toNanos(), TimeUnit.NANOSECONDS)
            .permitKeepAliveWithoutCalls(false);
        Duration interval = s.grpc().keepaliveInterval();
        Duration timeout = s.grpc().keepaliveTimeout();
        if (interval.isZero() || timeout.isZero()) { // etcd sets no keepalive then
            b.keepAliveTime(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } else {
            b.keepAliveTime(interval.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        Set<String> names = new HashSet<>();
        for (ServerServiceDefinition d : s.services()) {
            b.addService(RequestParsing.wrap(d));
            names.add(d.getServiceDescriptor().getName());
        }
        Executor blocking = CommonPools.blockingTaskExecutor();
        Set<String> slow = Set.copyOf(s.blocking());
        b.callExecutor(new ServerCallExecutorSupplier() {
            @Override
            public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata metadata) {
                return slow.contains(call.getMethodDescriptor().getServiceName()) ? blocking : null;
            }
        });
        return b.fallbackHandlerRegistry(new UnknownMethods(names)).addStreamTracerFactory(RequestParsing.tracer())
            .build();
    }

    /** The bound addresses, in the order of the ports. */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Server s : servers) {
            for (SocketAddress a : s.getListenSockets()) {
                out.add((InetSocketAddress) a);
            }
        }
        return out;
    }

    /** Stops accepting and asks open gRPC connections to finish (GOAWAY); {@link #close} ends what is left. */
    public void shutdown() {
        servers.forEach(Server::shutdown);
    }

    /** Waits up to {@code drain} for calls to finish, then closes every connection. */
    public void close(Duration drain) {
        long end = System.nanoTime() + drain.toNanos();
        for (Server s : servers) {
            s.shutdown();
            try {
                s.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.shutdownNow();
        }
    }
}
