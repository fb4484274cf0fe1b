package io.cairn.server.rpc;

import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.server.RaftStatus;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.function.Supplier;

/**
 * etcd's learner check (v3rpc interceptors, {@code isRPCSupportedForLearner}): while this member is a learner it
 * answers only Maintenance.Status and serializable ranges; every other call, and every stream, fails with
 * "etcdserver: rpc not supported for learner" (UNAVAILABLE, so clients move to another endpoint). The gRPC health
 * service is not etcd's and stays open.
 */
public final class LearnerGuard implements ServerInterceptor {
    private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    private final Supplier<RaftStatus> status;

    public LearnerGuard(Supplier<RaftStatus> status) {
        this.status = status;
    }

    /** Whether a learner may answer {@code request} (etcd 3.5's list). */
    static boolean supportedForLearner(Object request) {
        return request instanceof StatusRequest || request instanceof RangeRequest r && r.getSerializable();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
        MethodDescriptor<Q, A> method = call.getMethodDescriptor();
        if (HEALTH_SERVICE.equals(method.getServiceName()) || !status.get().isLearner()) {
            return next.startCall(call, headers);
        }
        if (method.getType() != MethodDescriptor.MethodType.UNARY) {
            call.close(ErrorTable.EtcdError.NOT_SUPPORTED_FOR_LEARNER.status(), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q request) {
                if (!supportedForLearner(request)) {
                    refused = true;
                    call.close(ErrorTable.EtcdError.NOT_SUPPORTED_FOR_LEARNER.status(), new Metadata());
                    return;
                }
                super.onMessage(request);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
