package io.cairn.server.rpc;

import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.cairn.server.auth.Credentials;
import io.cairn.server.auth.TlsIdentity;

/**
 * What the caller of the current request presented (etcd's {@code AuthInfoFromCtx} inputs): the token from gRPC
 * metadata {@code token} (etcd's {@code TokenFieldNameGRPC}, what etcd's clients send) or, as etcd's gateway
 * forwards it, the {@code Authorization} header; and on a gRPC call over TLS, the common name of the verified
 * client certificate. etcd ignores the certificate of a gateway request (its gateway calls in with the server's
 * own certificate); here too a JSON request never authenticates by its certificate.
 */
public final class Callers {
    /** etcd's {@code rpctypes.TokenFieldNameGRPC}. */
    public static final String TOKEN = "token";
    /** etcd's {@code rpctypes.TokenFieldNameSwagger}. */
    public static final String AUTHORIZATION = "authorization";

    private Callers() {
    }

    /** The credentials of the request being served on this thread; none outside a request. */
    public static Credentials current() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx == null ? Credentials.NONE : of(ctx);
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
}
