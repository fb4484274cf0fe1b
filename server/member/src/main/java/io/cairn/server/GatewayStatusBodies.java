package io.cairn.server;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;

/**
 * etcd's gateway error body, {@code {"error":msg,"message":msg,"code":n}}, for what Armeria refuses on a
 * {@code /v3/} path before a gateway service answers (a body that is not JSON, a body too large, a request that
 * timed out), instead of Armeria's plain-text status page; the HTTP status stays. The gRPC code follows
 * grpc-gateway's mapping backwards: 400 InvalidArgument, 404 NotFound, 408 DeadlineExceeded, 413 and 429
 * ResourceExhausted, 501 Unimplemented, 503 Unavailable, other statuses Unknown. Other paths keep Armeria's pages.
 * Stateless.
 */
final class GatewayStatusBodies implements ServerErrorHandler {
    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null; // the default handling picks the status; renderStatus writes the body
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config,
        RequestHeaders headers, HttpStatus status, String description, Throwable cause) {
        if (headers == null || status.code() < 400) {
            return null;
        }
        if (!headers.path().startsWith("/v3/")) {
            return null;
        }
        String msg = cause != null ? rootMessage(cause, status) : description != null ? description
            : status.reasonPhrase();
        String body = "{\"error\":" + Json.quote(msg) + ",\"message\":" + Json.quote(msg) + ",\"code\":"
            + code(status).value() + "}";
        return AggregatedHttpResponse.of(status, MediaType.JSON_UTF_8, body);
    }

    static Status.Code code(HttpStatus status) {
        return switch (status.code()) {
            case 400 -> Status.Code.INVALID_ARGUMENT;
            case 404 -> Status.Code.NOT_FOUND;
            case 408 -> Status.Code.DEADLINE_EXCEEDED;
            case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 501 -> Status.Code.UNIMPLEMENTED;
            case 503 -> Status.Code.UNAVAILABLE;
            default -> Status.Code.UNKNOWN;
        };
    }

    /** The innermost cause's message (the parser's words, not the wrappers' class names), else the reason. */
    private static String rootMessage(Throwable t, HttpStatus status) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? status.reasonPhrase() : root.getMessage();
        return msg.lines().findFirst().orElse(msg); // Jackson appends a line " at [Source: ...]"
    }
}
