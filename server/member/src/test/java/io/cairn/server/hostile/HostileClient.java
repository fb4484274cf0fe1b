package io.cairn.server.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends raw request bytes to a member: gRPC messages of any content (grpc-java's client with an identity
 * marshaller, so nothing is validated on the way out) and JSON gateway bodies (java.net.http, HTTP/1.1). Every
 * call is bounded by {@link #DEADLINE}; what came back is an {@link Outcome}. Streams get a probe after the hostile
 * request (a watch create with {@link #PROBE_WATCH_ID}) to show the stream still works, or end with an error.
 * Thread-safe.
 */
public final class HostileClient implements AutoCloseable {
    /** The longest any one hostile call may take before the server is said to hang. */
    public static final Duration DEADLINE = Duration.ofSeconds(15);
    public static final long PROBE_WATCH_ID = 7_777_777L;
    /** HTTP/2's default SETTINGS_MAX_FRAME_SIZE: no DATA frame is longer. */
    private static final int MAX_FRAME_BYTES = 16_384;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Closes raw connections whose case overran {@link #DEADLINE}. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-client-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final ManagedChannel channel;
    private final HttpClient http;
    private final String base;
    private final int port;

    public HostileClient(String host, int port) {
        this.port = port;
        channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE).build();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
        base = "http://" + host + ":" + port;
    }

    /**
     * What one hostile call got: the gRPC code or HTTP status, the message or body (cut to 300 chars), and
     * whether it hung (no answer within the deadline).
     */
    public record Outcome(String transport, int code, String message, boolean hung) {
        static Outcome grpc(Status s) {
            return new Outcome("grpc", s.getCode().value(), cut(s.getDescription()), false);
        }

        public boolean isGrpc() {
            return transport.equals("grpc");
        }

        @Override
        public String toString() {
            return transport + " " + (isGrpc() ? Status.Code.values()[code] : Integer.toString(code))
                + (hung ? " HUNG" : "") + " " + message;
        }
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static MethodDescriptor<byte[], byte[]> method(String fullName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setFullMethodName(fullName).setType(type)
            .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
    }

    /** A unary gRPC call with {@code body} as the message. */
    public Outcome grpcUnary(String fullMethod, byte[] body) {
        try {
            ClientCalls.blockingUnaryCall(channel, method(fullMethod, MethodDescriptor.MethodType.UNARY),
                CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), body);
            return new Outcome("grpc", 0, "", false);
        } catch (StatusRuntimeException e) {
            Outcome o = Outcome.grpc(e.getStatus());
            return e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                ? new Outcome(o.transport(), o.code(), o.message(), true) : o;
        }
    }

    /**
     * A unary gRPC call over raw HTTP/2 on a new connection: {@code data} (prefix included, possibly lying) cut
     * into {@code pieces} DATA frames, the last one ending the stream. A stream reset or a closed connection
     * without a gRPC status is reported as transport {@code h2}, code the reset code (or -1).
     */
    public Outcome rawGrpc(String fullMethod, byte[] data, int pieces) {
        try (RawHttp2 c = RawHttp2.connect(port, DEADLINE)) {
            // socket writes have no timeout: a server that stops reading must not hold the case forever
            java.util.concurrent.atomic.AtomicBoolean overran = new java.util.concurrent.atomic.AtomicBoolean();
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                overran.set(true);
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }, DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return rawGrpc(c, fullMethod, data, pieces);
            } catch (IOException e) {
                if (overran.get()) {
                    return new Outcome("h2", -1, "not done within the deadline: " + e, true);
                }
                throw e;
            } finally {
                watchdog.cancel(false);
            }
        } catch (java.net.SocketTimeoutException e) {
            return new Outcome("h2", -1, "no answer", true);
        } catch (IOException e) {
            return new Outcome("h2", -1, "I/O: " + e, false);
        }
    }

    private static Outcome rawGrpc(RawHttp2 c, String fullMethod, byte[] data, int pieces) throws IOException {
        c.headers(1, c.grpcHeaders("/" + fullMethod), false);
        int step = Math.min(MAX_FRAME_BYTES, Math.max(1, (data.length + pieces - 1) / pieces));
        for (int at = 0; at < data.length; at += step) {
            int end = Math.min(data.length, at + step);
            c.data(1, java.util.Arrays.copyOfRange(data, at, end), end == data.length);
        }
        if (data.length == 0) {
            c.data(1, data, true);
        }
        RawHttp2.Response r = c.await(1);
        if (r.grpcStatus() >= 0) {
            String msg = r.header("grpc-message");
            return new Outcome("grpc", r.grpcStatus(),
                cut(msg == null ? "" : java.net.URLDecoder.decode(msg, StandardCharsets.UTF_8)), false);
        }
        return new Outcome("h2", r.resetCode(), cut(r.toString()), false);
    }

    /**
     * A bidirectional call: sends {@code body}, then {@code probe} (null: half-closes instead), and waits until
     * the call ends or a response satisfies {@code done}; the call is cancelled afterwards.
     */
    public Outcome grpcBidi(String fullMethod, byte[] body, byte[] probe,
        java.util.function.Predicate<byte[]> done) {
        ClientCall<byte[], byte[]> call = channel.newCall(method(fullMethod,
            MethodDescriptor.MethodType.BIDI_STREAMING), CallOptions.DEFAULT);
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                if (done.test(message)) {
                    result.complete(new Outcome("grpc", 0, "probe answered", false));
                }
                call.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                result.complete(Outcome.grpc(status));
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(body);
        if (probe != null) {
            call.sendMessage(probe);
        } else {
            call.halfClose();
        }
        try {
            return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome("grpc", Status.Code.DEADLINE_EXCEEDED.value(), "no end, no probe answer", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            call.cancel("case done", null);
        }
    }

    /** The probe a watch stream must answer (created, with its id) after a hostile request. */
    public static byte[] watchProbe() {
        return WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFromUtf8("fuzz/probe")).setWatchId(PROBE_WATCH_ID))
            .build().toByteArray();
    }

    /** Whether a watch response (bytes) is the probe's created answer. */
    public static boolean isProbeAnswer(byte[] response) {
        try {
            WatchResponse r = WatchResponse.parseFrom(response);
            return r.getWatchId() == PROBE_WATCH_ID && r.getCreated();
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** A JSON gateway POST; the status and body (cut). */
    public Outcome json(String path, byte[] body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Outcome("json", r.statusCode(), cut(r.body()), false);
        } catch (HttpTimeoutException e) {
            return new Outcome("json", 0, "timed out", true);
        } catch (IOException e) {
            return new Outcome("json", 0, "I/O: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code POST /v3/watch} with {@code body} then the probe as JSON: reads lines until the probe is created, an
     * error line or the end of the response.
     */
    public Outcome jsonWatch(byte[] body) {
        byte[] probe = ("\n{\"create_request\":{\"key\":\"ZnV6ei9wcm9iZQ==\",\"watch_id\":\"" + PROBE_WATCH_ID
            + "\"}}\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = ProtoMutator.concat(body, probe);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v3/watch")).timeout(DEADLINE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build();
        CompletableFuture<Outcome> result = http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream())
            .thenApply(r -> readWatchLines(r.statusCode(), r.body()));
        try {
            return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            return new Outcome("json", 0, "no probe answer, no end", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return new Outcome("json", 0, "I/O: " + e.getCause(), false);
        }
    }

    private static Outcome readWatchLines(int status, InputStream body) {
        try (body; BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.append(line).append('\n');
                JsonNode n = JSON.readTree(line);
                if (n.path("result").path("created").asBoolean()
                    && n.path("result").path("watch_id").asText().equals(Long.toString(PROBE_WATCH_ID))) {
                    return new Outcome("json", status, "probe answered", false);
                }
                if (n.has("error")) {
                    return new Outcome("json", status, cut(seen.toString()), false);
                }
            }
            return new Outcome("json", status, cut(seen.toString()), false);
        } catch (IOException e) {
            return new Outcome("json", status, "I/O: " + e, false);
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
}
