package io.cairn.server.rpc;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The JSON gateway's marshaller for one gRPC service, as etcd's grpc-gateway writes JSON (proto field names),
 * built on first use instead of at start.
 *
 * <p>Armeria's marshaller (protobuf-jackson) generates a class per message type of the service when it is built;
 * for etcd's services that was about half a second of a member's start (published to ready: 2.0-2.5 s before,
 * 1.6-1.8 s after, benchmarks/results/server.md), spent before the member can serve anything. Most members never
 * see a JSON request, so the gateway's first request on a service pays it instead (~0.45 s, once). Thread-safe:
 * concurrent first calls build it once.
 */
public final class GatewayJson implements GrpcJsonMarshaller {
    private final ServiceDescriptor service;
    private volatile GrpcJsonMarshaller delegate;

    private GatewayJson(ServiceDescriptor service) {
        this.service = service;
    }

    /** The marshaller for {@code service}'s messages, built when first asked to (de)serialize one. */
    public static GrpcJsonMarshaller of(ServiceDescriptor service) {
        return new GatewayJson(service);
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
        throws IOException {
        delegate().serializeMessage(marshaller, message, os);
    }

    @Override
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        return delegate().deserializeMessage(marshaller, is);
    }

    /** Whether the real marshaller has been built (for tests). */
    boolean built() {
        return delegate != null;
    }

    private GrpcJsonMarshaller delegate() {
        GrpcJsonMarshaller d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = GrpcJsonMarshaller.builder().jsonMarshallerCustomizer(b -> b.preservingProtoFieldNames(true))
                        .build(service);
                    delegate = d;
                }
            }
        }
        return d;
    }
}
