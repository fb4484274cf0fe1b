package io.cairn.server.metrics;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gRPC server metrics etcd exports through go-grpc-prometheus ({@code grpc_server_started_total},
 * {@code grpc_server_handled_total}, {@code grpc_server_msg_received_total}, {@code grpc_server_msg_sent_total},
 * labels {@code grpc_type}, {@code grpc_service}, {@code grpc_method} and, when handled, {@code grpc_code} in Go's
 * spelling) and etcd's {@code etcd_network_client_grpc_received_bytes_total} / {@code _sent_bytes_total}.
 *
 * <p>{@link #interceptor()} is a gRPC {@link ServerInterceptor} installed on the Armeria gRPC service: it sees
 * every call, the JSON gateway's transcoded ones included (etcd's gateway also goes through its gRPC server), the
 * final status of each, and every message. Bytes are the protobuf size of each message (etcd adds them in some of
 * its stream handlers, so the two totals are comparable in kind, not equal). {@link #preRegister} creates every
 * method's series at 0, as go-grpc-prometheus does on {@code Register}. Thread-safe.
 */
public final class GrpcMetrics {
    private final Counter started;
    private final Counter handled;
    private final Counter received;
    private final Counter sent;
    private final Counter receivedBytes;
    private final Counter sentBytes;
    /** Each method's series, resolved once: a label lookup per call costs more than the call's own counting. */
    private final Map<String, MethodSeries> byMethod = new ConcurrentHashMap<>();

    /** One method's counters; {@code handled} indexed by {@link Status.Code#value()}. */
    private record MethodSeries(CounterDataPoint started, CounterDataPoint received, CounterDataPoint sent,
                                CounterDataPoint[] handled) {
    }

    GrpcMetrics(PrometheusRegistry registry) {
        started = Families.counter(registry, "grpc_server_started_total",
            "Total number of RPCs started on the server.", "grpc_type", "grpc_service", "grpc_method");
        handled = Families.counter(registry, "grpc_server_handled_total",
            "Total number of RPCs completed on the server, regardless of success or failure.",
            "grpc_type", "grpc_service", "grpc_method", "grpc_code");
        received = Families.counter(registry, "grpc_server_msg_received_total",
            "Total number of RPC stream messages received on the server.",
            "grpc_type", "grpc_service", "grpc_method");
        sent = Families.counter(registry, "grpc_server_msg_sent_total",
            "Total number of gRPC stream messages sent by the server.", "grpc_type", "grpc_service", "grpc_method");
        receivedBytes = Families.counter(registry, "etcd_network_client_grpc_received_bytes_total",
            "The total number of bytes received from grpc clients.");
        sentBytes = Families.counter(registry, "etcd_network_client_grpc_sent_bytes_total",
            "The total number of bytes sent to grpc clients.");
    }

    /** Creates the series of every method of {@code service} at 0, every status code included. */
    public void preRegister(ServerServiceDefinition service) {
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            MethodDescriptor<?, ?> d = m.getMethodDescriptor();
            String type = type(d.getType());
            String svc = d.getServiceName();
            String method = d.getBareMethodName();
            started.initLabelValues(type, svc, method);
            received.initLabelValues(type, svc, method);
            sent.initLabelValues(type, svc, method);
            for (Status.Code code : Status.Code.values()) {
                handled.initLabelValues(type, svc, method, goName(code));
            }
        }
    }

    /** The interceptor that counts; install it on every gRPC service of the client port. */
    public ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                ServerCallHandler<Q, A> next) {
                return intercept(call, headers, next);
            }
        };
    }

    private <Q, A> ServerCall.Listener<Q> intercept(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
        MethodSeries series = series(call.getMethodDescriptor());
        series.started().inc();
        AtomicBoolean done = new AtomicBoolean();
        ServerCall<Q, A> counting = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(A message) {
                series.sent().inc();
                sentBytes.inc(size(message));
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (done.compareAndSet(false, true)) {
                    series.handled()[status.getCode().value()].inc();
                }
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> delegate = next.startCall(counting, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                series.received().inc();
                receivedBytes.inc(size(message));
                super.onMessage(message);
            }

            @Override
            public void onCancel() {
                if (done.compareAndSet(false, true)) {
                    series.handled()[Status.Code.CANCELLED.value()].inc();
                }
                super.onCancel();
            }
        };
    }

    private MethodSeries series(MethodDescriptor<?, ?> d) {
        return byMethod.computeIfAbsent(d.getFullMethodName(), name -> {
            String[] labels = {type(d.getType()), d.getServiceName(), d.getBareMethodName()};
            Status.Code[] codes = Status.Code.values();
            CounterDataPoint[] byCode = new CounterDataPoint[codes.length];
            for (Status.Code code : codes) {
                byCode[code.value()] = handled.labelValues(labels[0], labels[1], labels[2], goName(code));
            }
            return new MethodSeries(started.labelValues(labels), received.labelValues(labels),
                sent.labelValues(labels), byCode);
        });
    }

    private static long size(Object message) {
        return message instanceof MessageLite m ? m.getSerializedSize() : 0;
    }

    /** go-grpc-prometheus's {@code grpc_type} values. */
    static String type(MethodDescriptor.MethodType t) {
        return switch (t) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "client_stream";
            case SERVER_STREAMING -> "server_stream";
            case BIDI_STREAMING, UNKNOWN -> "bidi_stream";
        };
    }

    /** grpc-go's {@code codes.Code.String()}, the {@code grpc_code} label etcd reports. */
    static String goName(Status.Code code) {
        return switch (code) {
            case OK -> "OK";
            case CANCELLED -> "Canceled";
            case UNKNOWN -> "Unknown";
            case INVALID_ARGUMENT -> "InvalidArgument";
            case DEADLINE_EXCEEDED -> "DeadlineExceeded";
            case NOT_FOUND -> "NotFound";
            case ALREADY_EXISTS -> "AlreadyExists";
            case PERMISSION_DENIED -> "PermissionDenied";
            case RESOURCE_EXHAUSTED -> "ResourceExhausted";
            case FAILED_PRECONDITION -> "FailedPrecondition";
            case ABORTED -> "Aborted";
            case OUT_OF_RANGE -> "OutOfRange";
            case UNIMPLEMENTED -> "Unimplemented";
            case INTERNAL -> "Internal";
            case UNAVAILABLE -> "Unavailable";
            case DATA_LOSS -> "DataLoss";
            case UNAUTHENTICATED -> "Unauthenticated";
        };
    }
}
