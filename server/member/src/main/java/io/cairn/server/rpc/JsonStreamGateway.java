package io.cairn.server.rpc;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.cairn.server.Json;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The JSON gateway's streaming endpoints, which Armeria's transcoding (unary only) cannot serve, answered as etcd's
 * grpc-gateway v1 does: {@code POST} with a JSON body, {@code 200 application/json}, one line per response,
 * {@code {"result":{...}}\n} (proto field names, int64 as strings, default values left out). A stream error ends
 * the body with grpc-gateway's error chunk {@code {"error":{"grpc_code":14,"http_code":503,"message":"...",
 * "http_status":"Service Unavailable"}}}, whose HTTP status becomes the response's when nothing was written before.
 * A body that is not JSON (or whose values do not fit their fields) is answered 400 with etcd's unary error body.
 * <ul>
 *   <li>{@link #bidi} ({@code /v3/lease/keepalive}): the body holds one or more requests
 *       ({@code {"ID":"7587861231285799685"}}), fed to the call in order before it is half-closed; the response
 *       ends when the call does.</li>
 *   <li>{@link #serverStreaming} ({@code /v3/election/observe}): the body holds one request; the response runs
 *       until the call ends or the client goes away, which cancels the call.</li>
 * </ul>
 * Differs from etcd: a bidirectional call starts once the whole body has arrived (etcd's gateway sends each
 * request as soon as it is decoded), so one POST cannot be held open to keep a lease alive.
 */
public final class JsonStreamGateway<I, O> implements HttpService {
    /** A bidirectional call: the server's request observer for a response observer. */
    public interface BidiCall<I, O> extends Function<StreamObserver<O>, StreamObserver<I>> {
    }

    /** A server-streaming call; {@code clientGone} completes when the HTTP client goes away. */
    public interface ServerStreamingCall<I, O> {
        void start(I request, StreamObserver<O> out, CompletableFuture<Void> clientGone);
    }

    private final MethodDescriptor<I, O> method;
    private final GrpcJsonMarshaller json;
    private final BidiCall<I, O> bidi;
    private final ServerStreamingCall<I, O> serverStreaming;

    private JsonStreamGateway(ServiceDescriptor service, MethodDescriptor<I, O> method, BidiCall<I, O> bidi,
        ServerStreamingCall<I, O> serverStreaming) {
        this.method = method;
        this.json = GatewayJson.of(service);
        this.bidi = bidi;
        this.serverStreaming = serverStreaming;
    }

    public static <I, O> JsonStreamGateway<I, O> bidi(ServiceDescriptor service, MethodDescriptor<I, O> method,
        BidiCall<I, O> call) {
        return new JsonStreamGateway<>(service, method, call, null);
    }

    public static <I, O> JsonStreamGateway<I, O> serverStreaming(ServiceDescriptor service,
        MethodDescriptor<I, O> method, ServerStreamingCall<I, O> call) {
        return new JsonStreamGateway<>(service, method, null, call);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        HttpResponseWriter res = HttpResponse.streaming();
        req.aggregate().handle((body, err) -> {
            if (err != null) {
                res.close(err);
            } else {
                try (SafeCloseable current = ctx.push()) {
                    answer(body, res); // the call reads the caller's credentials from the current context
                }
            }
            return null;
        });
        return res;
    }

    private void answer(AggregatedHttpRequest body, HttpResponseWriter res) {
        List<I> requests;
        try {
            requests = parse(body.contentUtf8());
            if (serverStreaming != null && requests.size() != 1) {
                throw new IllegalArgumentException("expected one request object, got " + requests.size());
            }
        } catch (IOException | RuntimeException e) {
            // any failure to read the body is the client's: the JSON parser also throws e.g.
            // StringIndexOutOfBoundsException for an int64 given as "" (an escape would hang the call until
            // the request timeout)
            String msg = e.getMessage() == null ? "invalid request body" : e.getMessage();
            res.close(AggregatedHttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON_UTF_8, "{\"error\":"
                + Json.quote(msg) + ",\"message\":" + Json.quote(msg) + ",\"code\":"
                + Status.Code.INVALID_ARGUMENT.value() + "}"));
            return;
        }
        Lines lines = new Lines(res);
        if (serverStreaming != null) {
            CompletableFuture<Void> clientGone = new CompletableFuture<>();
            res.whenComplete().handle((x, err) -> clientGone.complete(null));
            serverStreaming.start(requests.get(0), lines, clientGone);
            return;
        }
        StreamObserver<I> in = bidi.apply(lines);
        requests.forEach(in::onNext);
        in.onCompleted();
    }

    private List<I> parse(String body) throws IOException {
        List<I> out = new ArrayList<>();
        for (String object : JsonObjects.split(body)) {
            out.add(json.deserializeMessage(method.getRequestMarshaller(),
                new ByteArrayInputStream(object.getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    private String toJson(O message) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            json.serializeMessage(method.getResponseMarshaller(), message, buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Writes each response as a {@code {"result":...}} line; headers go out with the first line or the error. */
    private final class Lines implements StreamObserver<O> {
        private final HttpResponseWriter res;
        private boolean headersSent;

        Lines(HttpResponseWriter res) {
            this.res = res;
        }

        @Override
        public synchronized void onNext(O message) {
            sendHeaders(HttpStatus.OK);
            res.tryWrite(HttpData.ofUtf8("{\"result\":" + toJson(message) + "}\n"));
        }

        @Override
        public synchronized void onError(Throwable t) {
            Status s = ErrorTable.toStatus(t);
            HttpStatus http = HttpStatus.valueOf(ErrorTable.httpStatus(s.getCode()));
            sendHeaders(http);
            String msg = s.getDescription() == null ? "" : s.getDescription();
            res.tryWrite(HttpData.ofUtf8("{\"error\":{\"grpc_code\":" + s.getCode().value() + ",\"http_code\":"
                + http.code() + ",\"message\":" + Json.quote(msg) + ",\"http_status\":"
                + Json.quote(http.reasonPhrase()) + "}}"));
            res.close();
        }

        @Override
        public synchronized void onCompleted() {
            sendHeaders(HttpStatus.OK);
            res.close();
        }

        private void sendHeaders(HttpStatus status) {
            if (!headersSent) {
                headersSent = true;
                res.tryWrite(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON));
            }
        }
    }
}
