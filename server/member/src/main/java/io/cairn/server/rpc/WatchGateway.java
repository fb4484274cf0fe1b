package io.cairn.server.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.server.Json;
import io.cairn.server.auth.Credentials;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's grpc-gateway {@code POST /v3/watch}, by hand (Armeria transcodes unary methods only). The request body
 * is a stream of JSON {@code WatchRequest}s (proto or JSON field names, bytes as base64), read as they arrive
 * into a {@link WatchSession}; the response is one line per {@code WatchResponse}:
 * {@code {"result":{...}}} with proto field names, 64-bit integers as strings, bytes as base64 and default
 * values left out, e.g.
 * <pre>
 *   {"result":{"header":{"cluster_id":"…","member_id":"…","revision":"1","raft_term":"1"},"created":true}}
 *   {"result":{"header":{…,"revision":"2",…},"events":[{"kv":{"key":"Zm9v","create_revision":"2",
 *     "mod_revision":"2","version":"1","value":"YmFy"}}]}}
 * </pre>
 * As grpc-gateway v1 does: a first request that does not parse answers HTTP 500 with
 * {@code {"error","message","code":2}}; a later one stops reading the body while events keep coming; the end
 * of the body leaves the watchers running; a stream that fails writes {@code {"error":{...}}} as its last line.
 * Flow control: a line is sent once the previous one was consumed by the connection.
 */
final class WatchGateway implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(WatchGateway.class);
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
        .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final WatchService service;
    private final int maxRequestJsonBytes;

    /** @param maxRequestJsonBytes the longest JSON request accepted */
    WatchGateway(WatchService service, int maxRequestJsonBytes) {
        this.service = service;
        this.maxRequestJsonBytes = maxRequestJsonBytes;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        ctx.clearRequestTimeout();
        ctx.setMaxRequestLength(0);
        HttpResponseWriter res = HttpResponse.streaming();
        Exchange exchange = new Exchange(res, ctx.blockingTaskExecutor(), new JsonObjects(maxRequestJsonBytes),
            Callers.of(ctx));
        res.whenComplete().handle((ok, failure) -> {
            exchange.close();
            return null;
        });
        req.subscribe(exchange);
        return res;
    }

    static WatchRequest parse(String json) {
        WatchRequest.Builder b = WatchRequest.newBuilder();
        try {
            PARSER.merge(json, b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(rootMessage(e), e);
        }
        return b.build();
    }

    /** The innermost cause's message: the parser's words, without the Java class names of the wrappers. */
    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    static String line(WatchResponse r) {
        try {
            return "{\"result\":" + PRINTER.print(r) + "}\n";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("watch response not printable as JSON", e);
        }
    }

    /** grpc-gateway v1's stream error chunk. */
    static String errorLine(Status status) {
        int http = ErrorTable.httpStatus(status.getCode());
        String message = status.getDescription() == null ? "" : status.getDescription();
        return "{\"error\":{\"grpc_code\":" + status.getCode().value() + ",\"http_code\":" + http
            + ",\"message\":" + Json.quote(message) + ",\"http_status\":"
            + Json.quote(HttpStatus.valueOf(http).reasonPhrase()) + "}}\n";
    }

    /** One HTTP exchange: the body's subscriber and the session's sink. */
    private final class Exchange implements Subscriber<HttpObject>, WatchSink {
        private final HttpResponseWriter res;
        private final Executor executor;
        private final JsonObjects objects;
        private final Credentials credentials;
        private volatile Subscription body;
        /** Set once the first request parsed; read by the sink's callers after that. */
        private volatile WatchSession session;
        /** False once the body is no longer read: a bad request, or the exchange closed. */
        private volatile boolean reading = true;
        private volatile boolean closed;
        /**
         * The body's chunks and its end are handled on the executor one after the other, in order: each step is
         * chained to the previous one. Touched only by the body's signals, which come one at a time.
         */
        private CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
        /** Guarded by the session's send lock (written only by send and fail). */
        private boolean headersSent;
        private volatile CompletableFuture<Void> consumed = CompletableFuture.completedFuture(null);

        Exchange(HttpResponseWriter res, Executor executor, JsonObjects objects, Credentials credentials) {
            this.credentials = credentials;
            this.res = res;
            this.executor = executor;
            this.objects = objects;
        }

        @Override
        public void onSubscribe(Subscription s) {
            body = s;
            s.request(1);
        }

        @Override
        public void onNext(HttpObject o) {
            if (!(o instanceof HttpData data)) {
                body.request(1); // trailers
                return;
            }
            byte[] bytes = data.array();
            then(() -> {
                read(bytes);
                if (reading) {
                    body.request(1);
                }
            });
        }

        /** Runs {@code step} on the executor after the previous one; a step that throws aborts the exchange. */
        private void then(Runnable step) {
            steps = steps.thenRunAsync(step, executor).exceptionally(failure -> {
                LOG.warn("watch gateway request failed", failure);
                reading = false;
                res.abort(failure);
                return null;
            });
        }

        private void read(byte[] bytes) {
            if (!reading) {
                return;
            }
            List<String> requests;
            try {
                requests = objects.feed(bytes);
            } catch (IllegalArgumentException e) {
                badRequest(e.getMessage());
                return;
            }
            for (String json : requests) {
                WatchRequest request;
                try {
                    request = parse(json);
                } catch (IllegalArgumentException e) {
                    badRequest(e.getMessage());
                    return;
                }
                if (!start()) {
                    return;
                }
                session.receive(request);
            }
        }

        /** Opens the session at the first request; false when the member is stopping (the answer is sent). */
        private boolean start() {
            if (session != null) {
                return true;
            }
            try {
                session = service.open(this, credentials);
            } catch (EtcdServerException e) {
                reading = false;
                respondError(e.error().status());
                return false;
            }
            if (closed) {
                session.close(); // the client left while the session opened
            }
            return true;
        }

        /** grpc-gateway: a bad first request fails the call (Unknown, 500); a later one ends the reading only. */
        private void badRequest(String message) {
            reading = false;
            body.cancel();
            if (session == null) {
                respondError(Status.UNKNOWN.withDescription(message));
            }
        }

        private void respondError(Status status) {
            String msg = status.getDescription() == null ? "" : status.getDescription();
            res.tryWrite(ResponseHeaders.of(HttpStatus.valueOf(ErrorTable.httpStatus(status.getCode())),
                HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8));
            res.tryWrite(HttpData.ofUtf8("{\"error\":" + Json.quote(msg) + ",\"message\":" + Json.quote(msg)
                + ",\"code\":" + status.getCode().value() + "}"));
            res.close();
        }

        @Override
        public void onError(Throwable t) {
            // the client aborted its request: the response is aborted too, and close() ends the session
        }

        /** The body ended: watchers keep running (grpc-gateway); a first request cut short is an error. */
        @Override
        public void onComplete() {
            then(() -> {
                if (reading && session == null && objects.hasPartial()) {
                    reading = false;
                    respondError(Status.UNKNOWN.withDescription("unexpected EOF"));
                }
            });
        }

        void close() {
            closed = true;
            reading = false;
            Subscription s = body;
            if (s != null) {
                s.cancel();
            }
            WatchSession open = session;
            if (open != null) {
                try {
                    executor.execute(open::close); // closing takes the store's lock: not on the event loop
                } catch (RejectedExecutionException stopping) {
                    open.close();
                }
            }
        }

        @Override
        public boolean isReady() {
            return consumed.isDone() && res.isOpen();
        }

        @Override
        public void send(WatchResponse response) {
            sendHeaders();
            res.tryWrite(HttpData.ofUtf8(line(response)));
            CompletableFuture<Void> f = res.whenConsumed();
            consumed = f;
            f.thenRun(session::wake);
        }

        private void sendHeaders() {
            if (!headersSent) {
                headersSent = true;
                res.tryWrite(ResponseHeaders.of(HttpStatus.OK,
                    HttpHeaderNames.CONTENT_TYPE, MediaType.JSON));
            }
        }

        @Override
        public void fail(Status status) {
            if (!headersSent) {
                respondError(status);
                return;
            }
            res.tryWrite(HttpData.ofUtf8(errorLine(status)));
            res.close();
        }

        @Override
        public Executor executor() {
            return executor;
        }
    }
}
