package io.cairn.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.grpc.GrpcHealthCheckService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.v3electionpb.ElectionGrpc;
import io.cairn.server.concurrency.ElectionService;
import io.cairn.server.concurrency.KeyWatches;
import io.cairn.server.concurrency.LockService;
import io.cairn.server.concurrency.MemberKv;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.http.HttpEndpoints;
import io.cairn.server.metrics.GrpcMetrics;
import io.cairn.server.rpc.AuthService;
import io.cairn.server.rpc.LearnerGuard;
import io.cairn.server.rpc.TokenIndexWait;
import io.cairn.server.rpc.TokenIndexWaitInterceptor;
import io.cairn.server.rpc.Callers;
import io.cairn.server.rpc.RequestDeadline;
import io.cairn.server.front.ClientFront;
import io.cairn.server.rpc.ClusterService;
import io.cairn.server.rpc.ErrorTable;
import io.cairn.server.rpc.GatewayJson;
import io.cairn.server.rpc.JsonStreamGateway;
import io.cairn.server.rpc.KvService;
import io.cairn.server.rpc.LeaseService;
import io.cairn.server.rpc.MaintenanceService;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.Status;
import io.grpc.ServerServiceDefinition;
import io.cairn.server.rpc.WatchService;
import io.cairn.server.tls.ClientTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client endpoint. Every {@code --listen-client-urls} address is a port of {@link ClientFront}: grpc-java's
 * Netty server, which serves clear-text gRPC itself (etcd's clients: the hot path, kept light) and relays any other
 * connection (TLS, HTTP/1.1) byte for byte to this member's Armeria server on a loopback port of its own. Armeria
 * terminates TLS (https:// URLs, {@link ClientTls}: etcd's --cert-file, --client-cert-auth and the rest) and serves
 * the same gRPC services there, the JSON gateway transcoded from the {@code google.api.http} annotations
 * ({@code /v3/kv/...}: proto field names, int64 as strings, bytes as base64, errors as
 * {@code {"error","message","code"}}), and the plain HTTP routes of {@link HttpEndpoints} ({@code /health},
 * {@code /livez}, {@code /readyz}, {@code /metrics}, {@code /version}). Services: KV, Watch, Maintenance, Cluster,
 * Lease, Auth, Lock, Election and gRPC health; the hand-written JSON streams {@code /v3/watch}
 * ({@link WatchService}), {@code /v3/lease/keepalive} and {@code /v3/election/observe} ({@link JsonStreamGateway}).
 * Both servers run the same service objects behind the same checks (metrics, learner guard, token index wait);
 * a relayed connection reaches Armeria from loopback, so Armeria never sees the client's address. Owns both servers
 * and the lock and election services' {@link KeyWatches}; {@link #close()} stops the servers gracefully, then the
 * watches.
 *
 * <p>Threads: gRPC methods run on the event loops (they only validate and hand work on: proposals to the raft
 * loop, reads to the blocking executor, answers completed from the apply thread), except the services marked
 * {@code @Blocking} (Maintenance, Cluster, Auth), whose calls may take long and run on the blocking executor.
 */
public final class ClientServer implements AutoCloseable {
    /** etcd's grpcOverheadBytes: room for gRPC framing on top of {@code --max-request-bytes}. */
    static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /**
     * How long a new client connection has to deliver its first request's headers before it is closed
     * ({@link FirstRequestDeadline}): bounds slow-header ("slowloris") and silent connections.
     */
    static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Armeria's words for a message over the limit, e.g. "...Deframer: Frame size -1 exceeds maximum: 2097152. ". */
    private static final Pattern FRAME_TOO_LARGE = Pattern.compile("Frame size (-?\\d+) exceeds maximum: (\\d+)");
    /** How long a graceful stop lets in-flight requests finish. */
    static final Duration DRAIN = Duration.ofSeconds(2);

    private final Server server;
    private final ClientFront front;
    private final KeyWatches watches;

    private ClientServer(Server server, ClientFront front, KeyWatches watches) {
        this.server = server;
        this.front = front;
        this.watches = watches;
    }

    /** The services one member serves, built once. */
    private record Services(KvService kv, WatchService watch, MaintenanceService maintenance, ClusterService cluster,
                            LeaseService lease, AuthService auth, LockService lock, ElectionService election,
                            KeyWatches watches) {
        static Services of(Member member) {
            LeaseService lease = new LeaseService(member);
            KeyWatches watches = new KeyWatches(member.watchable(), member.applier().applied());
            MemberKv kv = new MemberKv(member, lease, watches);
            return new Services(new KvService(member), new WatchService(member), new MaintenanceService(member),
                new ClusterService(member), lease, new AuthService(member), new LockService(kv),
                new ElectionService(kv), watches);
        }

        List<BindableService> grpc() {
            return List.of(kv, watch, maintenance, cluster, lease, auth, lock, election);
        }
    }

    /** Binds every client URL and starts serving; returns once listening. Reads the TLS files first. */
    public static ClientServer start(Member member) {
        return start(member, ClientTls.forConfig(member.config()));
    }

    /** Like {@link #start(Member)} with the client TLS read already ({@link ClientTls#forConfig}). */
    public static ClientServer start(Member member, Optional<ClientTls> tls) {
        int maxMessage = member.config().maxRequestBytes() + GRPC_OVERHEAD_BYTES;
        ServerConfig.Grpc grpc = member.config().grpc();
        ServerBuilder sb = Server.builder()
            .maxRequestLength((long) WatchService.JSON_EXPANSION * maxMessage)
            .gracefulShutdownTimeout(Duration.ZERO, DRAIN)
            .http2MaxStreamsPerConnection(grpc.maxConcurrentStreams());
        keepalive(sb, grpc);
        FirstRequestDeadline firstRequest = new FirstRequestDeadline(FIRST_REQUEST_TIMEOUT);
        sb.childChannelPipelineCustomizer(firstRequest::install).decorator(firstRequest.decorator());
        listen(sb, member.config(), tls);
        Services services = Services.of(member);
        sb.service(grpcService(member, services, maxMessage));
        sb.service(WatchService.GATEWAY_PATH, services.watch().gateway());
        sb.service("/v3/lease/keepalive", JsonStreamGateway.bidi(LeaseGrpc.getServiceDescriptor(),
            LeaseGrpc.getLeaseKeepAliveMethod(), services.lease()::leaseKeepAlive));
        sb.service("/v3/election/observe", JsonStreamGateway.serverStreaming(ElectionGrpc.getServiceDescriptor(),
            ElectionGrpc.getObserveMethod(), services.election()::observe));
        sb.routeDecorator().pathPrefix("/v3/").build(ClientServer::jsonBody);
        sb.decorator(delegate -> new TokenIndexWait(delegate, member, Member.requestTimeout(member.config())));
        HttpEndpoints.install(sb, member);
        sb.errorHandler(new GatewayStatusBodies());
        Server server = sb.build();
        ClientFront front = null;
        try {
            server.start().join();
            front = ClientFront.start(frontPorts(member.config()), server.activePorts().values().iterator().next()
                .localAddress(), new ClientFront.Services(frontServices(member, services), blockingServices(services),
                maxMessage, grpc, FIRST_REQUEST_TIMEOUT));
        } catch (RuntimeException e) {
            server.stop().join();
            services.watches().close();
            throw e;
        }
        return new ClientServer(server, front, services.watches());
    }

    /**
     * Armeria listens on one loopback port of its own, for the connections the client ports relay to it (TLS, and
     * clear text that is not gRPC); it serves there every scheme the client URLs name, and {@code tls} if any.
     */
    private static void listen(ServerBuilder sb, ServerConfig config, Optional<ClientTls> tls) {
        Set<SessionProtocol> protocols = new LinkedHashSet<>();
        for (URI u : config.listenClientUrls()) {
            protocols.add(ServerConfig.isTls(u) ? SessionProtocol.HTTPS : SessionProtocol.HTTP);
        }
        sb.port(new ServerPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), protocols));
        tls.ifPresent(t -> t.applyTo(sb));
    }

    /**
     * The client ports: every {@code --listen-client-urls} address, with the schemes its URLs name (an address
     * listed with both serves both on one port, told apart by the first bytes, as etcd's cmux does).
     */
    private static List<ClientFront.Port> frontPorts(ServerConfig config) {
        Map<InetSocketAddress, Set<Boolean>> ports = new LinkedHashMap<>();
        for (URI u : config.listenClientUrls()) {
            ports.computeIfAbsent(new InetSocketAddress(u.getHost(), u.getPort()), a -> new LinkedHashSet<>())
                .add(ServerConfig.isTls(u));
        }
        List<ClientFront.Port> out = new ArrayList<>();
        ports.forEach((address, tls) -> out.add(new ClientFront.Port(address, tls.contains(false),
            tls.contains(true))));
        return out;
    }

    /**
     * The services as grpc-java serves them: each call counted by {@link GrpcMetrics}, refused to a learner where
     * etcd refuses it ({@link LearnerGuard}), held until its token's Authenticate entry is applied
     * ({@link TokenIndexWaitInterceptor}), its request bounded in time ({@link RequestDeadline}), its caller's
     * credentials in its context ({@link Callers}); plus gRPC health, SERVING.
     */
    private static List<ServerServiceDefinition> frontServices(Member member, Services services) {
        ServerInterceptor[] interceptors = {Callers.interceptor(), new LearnerGuard(member::raftStatus),
            member.metrics().grpc().interceptor(),
            new RequestDeadline(FIRST_REQUEST_TIMEOUT),
            new TokenIndexWaitInterceptor(member, Member.requestTimeout(member.config()))};
        List<ServerServiceDefinition> out = new ArrayList<>();
        for (BindableService s : services.grpc()) {
            out.add(ServerInterceptors.intercept(s, interceptors));
        }
        out.add(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), interceptors));
        return out;
    }

    /** The services marked {@link Blocking}: their calls run on the blocking executor, off the event loops. */
    private static Set<String> blockingServices(Services services) {
        Set<String> out = new LinkedHashSet<>();
        for (BindableService s : services.grpc()) {
            if (s.getClass().isAnnotationPresent(Blocking.class)) {
                out.add(s.bindService().getServiceDescriptor().getName());
            }
        }
        return out;
    }

    /**
     * etcd's gRPC services with the JSON gateway, every call counted by
     * {@link io.cairn.server.metrics.GrpcMetrics}, whose series exist from the start for every method.
     */
    private static GrpcService grpcService(Member member, Services services, int maxMessage) {
        GrpcMetrics metrics = member.metrics().grpc();
        GrpcServiceBuilder b = GrpcService.builder();
        for (BindableService s : services.grpc()) {
            ServerServiceDefinition definition = s.bindService();
            metrics.preRegister(definition);
            b.addService(definition);
        }
        GrpcHealthCheckService health = GrpcHealthCheckService.builder().build();
        metrics.preRegister(health.bindService());
        return b.addService(health)
            .intercept(metrics.interceptor(), new LearnerGuard(member::raftStatus))
            .supportedSerializationFormats(GrpcSerializationFormats.values())
            .jsonMarshallerFactory(GatewayJson::of)
            .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                .errorHandler(gatewayErrors())
                .build())
            .maxRequestMessageLength(maxMessage)
            .exceptionHandler((ctx, status, cause, metadata) -> grpcGoWording(status, cause))
            .useBlockingTaskExecutor(false)
            .build();
    }

    /**
     * etcd's gRPC keepalive, as far as Armeria can follow it: a connection that carried no request and no PING for
     * {@code --grpc-keepalive-interval} plus {@code --grpc-keepalive-timeout} is closed (clients' keepalive pings
     * keep it open, as etcd's clients send them); interval 0 never closes an idle connection. The server sends no
     * pings of its own: Armeria turns its ping interval into socket options the kernel refuses for etcd's 2 h.
     */
    private static void keepalive(ServerBuilder sb, ServerConfig.Grpc grpc) {
        if (grpc.keepaliveInterval().isZero()) {
            sb.idleTimeout(Duration.ZERO);
        } else {
            sb.idleTimeout(grpc.keepaliveInterval().plus(grpc.keepaliveTimeout()), true);
        }
    }

    /**
     * gRPC errors in etcd's (grpc-go's) words where Armeria's name its own classes: a message over the limit is
     * "grpc: received message larger than max (N vs. M)" (N unsigned, as the prefix declares it), a compressed
     * message without an encoding "grpc: compressed flag set with identity or empty encoding"; any other such
     * text loses its class name; a body cut off at Armeria's HTTP limit is ResourceExhausted too (Armeria: Unknown).
     * A gateway body whose values do not fit their fields (a number that is not one,
     * an array for a number) is InvalidArgument, as etcd's gateway answers (Armeria says Unknown, HTTP 500).
     * Null for the rest: Armeria's mapping applies.
     */
    private static Status grpcGoWording(Status status, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ContentTooLargeException) {
                return Status.RESOURCE_EXHAUSTED.withDescription("grpc: received message larger than max");
            }
        }
        if (cause instanceof NumberFormatException || cause instanceof JsonProcessingException
            || cause instanceof StringIndexOutOfBoundsException) { // protobuf-jackson's words for an int64 ""
            String msg = String.valueOf(cause.getMessage());
            return Status.INVALID_ARGUMENT.withDescription(msg.lines().findFirst().orElse(msg));
        }
        String description = status.getDescription();
        if (description == null || !description.startsWith("com.linecorp.armeria.")) {
            return null;
        }
        Matcher m = FRAME_TOO_LARGE.matcher(description);
        if (m.find()) {
            return ErrorTable.grpcTooLarge(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        }
        if (description.contains("compression not configured")) {
            return status.withDescription(ErrorTable.GRPC_COMPRESSED_WITHOUT_ENCODING);
        }
        return status.withDescription(description.substring(description.indexOf(':') + 1).trim());
    }

    /** etcd's gateway reads any POST body as JSON (curl -d sends a form type); so does this one. */
    private static HttpResponse jsonBody(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
        throws Exception {
        MediaType type = req.contentType();
        if (type != null && type.isJson()) {
            return delegate.serve(ctx, req);
        }
        HttpRequest json = req.withHeaders(req.headers().toBuilder().contentType(MediaType.JSON_UTF_8).build());
        ctx.updateRequest(json);
        return delegate.serve(ctx, json);
    }

    /** etcd's gateway error body, {@code {"error":msg,"message":msg,"code":n}}, with grpc-gateway's HTTP status. */
    static UnframedGrpcErrorHandler gatewayErrors() {
        return (ctx, status, response) -> {
            String msg = status.getDescription() == null ? "" : status.getDescription();
            String body = "{\"error\":" + Json.quote(msg) + ",\"message\":" + Json.quote(msg) + ",\"code\":"
                + status.getCode().value() + "}";
            return HttpResponse.of(HttpStatus.valueOf(ErrorTable.httpStatus(status.getCode())),
                MediaType.JSON_UTF_8, body);
        };
    }

    /** The bound client addresses (ports resolved when 0 was asked for), in the order of the URLs. */
    public List<InetSocketAddress> addresses() {
        return front.addresses();
    }

    /** The first bound client port. */
    public int port() {
        return addresses().get(0).getPort();
    }

    /**
     * Stops gracefully: the client ports stop accepting and send GOAWAY, Armeria (the relayed connections) drains,
     * gRPC calls get the rest of {@link #DRAIN}; then the watches close.
     */
    @Override
    public void close() {
        try {
            front.shutdown();
            try {
                server.stop().join();
            } finally {
                front.close(DRAIN);
            }
        } finally {
            watches.close();
        }
    }
}
