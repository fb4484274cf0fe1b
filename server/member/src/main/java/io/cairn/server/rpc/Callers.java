package io.cairn.server.rpc;

import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.cairn.server.auth.Credentials;
import io.cairn.server.auth.TlsIdentity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * What the caller of the current request presented (etcd's {@code AuthInfoFromCtx} inputs): the token from gRPC
 * metadata {@code token} (etcd's {@code TokenFieldNameGRPC}, what etcd's clients send) or, as etcd's gateway
 * forwards it, the {@code Authorization} header; and on a gRPC call over TLS, the common name of the verified
 * client certificate. etcd ignores the certificate of a gateway request (its gateway calls in with the server's
 * own certificate); here too a JSON request never authenticates by its certificate.
 *
 * <p>Two transports carry calls: Armeria (TLS and the JSON gateway), whose request context names the caller, and
 * grpc-java's Netty server (clear-text gRPC), whose calls get their credentials into the gRPC {@link Context} by
 * {@link #interceptor()}.
 */
public final class Callers {
    /** etcd's {@code rpctypes.TokenFieldNameGRPC}. */
    public static final String TOKEN = "token";
    /** etcd's {@code rpctypes.TokenFieldNameSwagger}. */
    public static final String AUTHORIZATION = "authorization";

    private static final Metadata.Key<String> TOKEN_KEY = Metadata.Key.of(TOKEN, Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION_KEY =
        Metadata.Key.of(AUTHORIZATION, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Credentials> CREDENTIALS = Context.key("cairn-credentials");

    private Callers() {
    }

    /** The credentials of the request being served on this thread; none outside a request. */
    public static Credentials current() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null) {
            return of(ctx);
        }
        Credentials grpc = CREDENTIALS.get();
        return grpc == null ? Credentials.NONE : grpc;
    }

    /** The credentials of the request of {@code ctx}. */
    public static Credentials of(ServiceRequestContext ctx) {
        RequestHeaders h = ctx.request().headers();
        String token = h.get(TOKEN);
        if (token == null) {
            token = h.get(AUTHORIZATION);
        }
        MediaType type = h.contentType();
        boolean grpc = type != null && type.subtype().startsWith("grpc");
        String cn = grpc ? TlsIdentity.commonName(ctx.sslSession()).orElse(null) : null;
        return new Credentials(token, cn);
    }

    /** The credentials in gRPC metadata (clear text: no certificate). */
    public static Credentials of(Metadata headers) {
        String token = headers.get(TOKEN_KEY);
        return new Credentials(token != null ? token : headers.get(AUTHORIZATION_KEY), null);
    }

    /** For grpc-java's server: makes each call's credentials {@link #current()} while its listener runs. */
    public static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                ServerCallHandler<Q, A> next) {
                return Contexts.interceptCall(Context.current().withValue(CREDENTIALS, of(headers)), call, headers,
                    next);
            }
        };
    }
}
