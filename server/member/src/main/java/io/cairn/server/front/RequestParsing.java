package io.cairn.server.front;

import io.cairn.server.rpc.ErrorTable;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes requests for grpc-java's server the way grpc-go (etcd) answers bad ones, where grpc-java's own decoding
 * would differ: a message that does not parse is INTERNAL "grpc: error unmarshalling request: ..." (grpc-java:
 * UNKNOWN "Application error processing RPC"); a call whose client sends one message (unary, server streaming)
 * is served with its first message and ignores any more (grpc-java refuses the call), and one that sends none is
 * UNKNOWN "EOF". Framing errors found by grpc-java's deframer, which closes the stream itself, are answered in
 * grpc-go's words when the call's listener learns of them ({@link #tracer()} keeps the status the stream closed
 * with): a message over the limit is RESOURCE_EXHAUSTED "grpc: received message larger than max (N vs. M)", one
 * cut short by the end of the stream UNKNOWN "unexpected EOF", a compressed one without an encoding INTERNAL
 * "grpc: compressed flag set with identity or empty encoding". Wraps a whole service definition, outside its
 * interceptors, which see parsed requests only.
 */
final class RequestParsing {
    /** Hands the transport's message stream on unread: parsing happens in the call's listener. */
    static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private static final Context.Key<ClosedStatus> CLOSED = Context.key("cairn-stream-closed-status");
    /** grpc-java's words for a message over the limit, e.g. "gRPC message exceeds maximum size 2097152: -1". */
    private static final Pattern TOO_LARGE = Pattern.compile("gRPC message exceeds maximum size (\\d+): (-?\\d+)");

    private RequestParsing() {
    }

    /** For the server builder: records each stream's closing status for its call's listener. */
    static ServerStreamTracer.Factory tracer() {
        return new ServerStreamTracer.Factory() {
            @Override
            public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
                return new ClosedStatus();
            }
        };
    }

    /** The status a stream closed with, reachable from its call's context. */
    private static final class ClosedStatus extends ServerStreamTracer {
        private volatile Status status;

        @Override
        public Context filterContext(Context context) {
            return context.withValue(CLOSED, this);
        }

        @Override
        public void streamClosed(Status closed) {
            this.status = closed;
        }
    }

    /** grpc-go's answer to a framing error grpc-java's deframer closed a stream with; null for anything else. */
    static Status grpcGoFraming(Status status) {
        String description = String.valueOf(status.getDescription());
        Matcher m = TOO_LARGE.matcher(description);
        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && m.find()) {
            return ErrorTable.grpcTooLarge(Long.parseLong(m.group(2)), Long.parseLong(m.group(1)));
        }
        if (status.getCode() == Status.Code.INTERNAL && description.contains("end-of-stream mid-frame")) {
            return Status.UNKNOWN.withDescription("unexpected EOF");
        }
        if (status.getCode() == Status.Code.INTERNAL && description.contains("compression not configured")) {
            return Status.INTERNAL.withDescription(ErrorTable.GRPC_COMPRESSED_WITHOUT_ENCODING);
        }
        return null;
    }

    /** {@code service} with each method's request decoded by this class. */
    static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            b.addMethod(wrap(m));
        }
        return b.build();
    }

    private static <Q, A> ServerMethodDefinition<InputStream, A> wrap(ServerMethodDefinition<Q, A> definition) {
        MethodDescriptor<Q, A> method = definition.getMethodDescriptor();
        ServerCallHandler<Q, A> handler = definition.getServerCallHandler();
        // the transport sees a stream both ways: grpc-java would refuse a unary call's second message itself
        MethodDescriptor<InputStream, A> raw = method.toBuilder(RAW, method.getResponseMarshaller())
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING).build();
        return ServerMethodDefinition.create(raw, (call, headers) -> {
            Typed<Q, A> typed = new Typed<>(call, method);
            return new Decoding<>(typed, method, handler.startCall(typed, headers));
        });
    }

    /** The listener on the transport's side: parses, then passes the typed events on. */
    private static final class Decoding<Q, A> extends ServerCall.Listener<InputStream> {
        private final ServerCall<Q, A> call;
        private final MethodDescriptor<Q, A> method;
        private final ServerCall.Listener<Q> next;
        private final boolean oneMessage;
        private boolean received;
        private boolean refused;

        Decoding(ServerCall<Q, A> call, MethodDescriptor<Q, A> method, ServerCall.Listener<Q> next) {
            this.call = call;
            this.method = method;
            this.next = next;
            this.oneMessage = method.getType().clientSendsOneMessage();
        }

        @Override
        public void onMessage(InputStream message) {
            if (refused || (oneMessage && received)) {
                return; // grpc-go reads a unary call's first message only
            }
            Q request;
            try {
                request = method.parseRequest(message);
            } catch (RuntimeException e) {
                refuse(Status.INTERNAL.withDescription("grpc: error unmarshalling request: " + reason(e)));
                return;
            }
            received = true;
            next.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (refused) {
                return;
            }
            if (oneMessage && !received) {
                refuse(Status.UNKNOWN.withDescription("EOF"));
                return;
            }
            next.onHalfClose();
        }

        private void refuse(Status status) {
            refused = true;
            call.close(status, new Metadata());
        }

        private static String reason(RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof com.google.protobuf.InvalidProtocolBufferException p) {
                    return p.getMessage();
                }
            }
            return String.valueOf(Status.fromThrowable(e).getDescription());
        }

        /** A stream grpc-java's deframer closed gets grpc-go's words first (ahead of grpc-java's own status). */
        @Override
        public void onCancel() {
            ClosedStatus closed = CLOSED.get();
            Status framing = closed == null || closed.status == null ? null : grpcGoFraming(closed.status);
            if (framing != null && !refused) {
                refused = true;
                try {
                    call.close(framing, new Metadata());
                } catch (IllegalStateException alreadyClosed) {
                    // the service answered first
                }
            }
            next.onCancel();
        }

        @Override
        public void onComplete() {
            next.onComplete();
        }

        @Override
        public void onReady() {
            next.onReady();
        }
    }

    /** The transport's call, as the typed method it serves (requests never pass through a call). */
    private static final class Typed<Q, A> extends ServerCall<Q, A> {
        private final ServerCall<InputStream, A> call;
        private final MethodDescriptor<Q, A> method;

        Typed(ServerCall<InputStream, A> call, MethodDescriptor<Q, A> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(A message) {
            call.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            call.setOnReadyThreshold(numBytes);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return call.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, A> getMethodDescriptor() {
            return method;
        }
    }
}
