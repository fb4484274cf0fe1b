package io.cairn.server.rpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * For grpc-java's server: a call whose client sends one message (unary, server streaming) must have sent all of it
 * within {@code timeout} of its headers, or it is cancelled (DEADLINE_EXCEEDED): a body that stalls part-way holds
 * a stream and its buffer only that long, as under Armeria's request timeout. Only the request's arrival is bounded;
 * the answer takes as long as it takes. Streams whose client sends many messages (Watch, LeaseKeepAlive) are
 * governed by keepalive alone.
 *
 * <p>Every unary call arms and disarms a deadline, so they live on one hashed-wheel timer per process (100 ms
 * ticks, one daemon thread): arming is a queue insert, with no wake-up of another thread's event loop per call.
 */
public final class RequestDeadline implements ServerInterceptor {
    private static final Timer TIMER = new HashedWheelTimer(new DefaultThreadFactory("cairn-request-deadline", true),
        100, TimeUnit.MILLISECONDS);

    private final long timeoutNanos;

    public RequestDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
        if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
            return next.startCall(call, headers);
        }
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        Armed<Q> armed = new Armed<>(delegate);
        armed.deadline = TIMER.newTimeout(t -> armed.expire(call), timeoutNanos, TimeUnit.NANOSECONDS);
        return armed;
    }

    /**
     * Disarms the deadline once the request is complete (or the call ends); after an expiry the call's remaining
     * events are dropped (it is closed). Expiry and arrival are decided under the listener's lock.
     */
    private static final class Armed<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private volatile Timeout deadline;
        private boolean received;
        private boolean expired;

        Armed(ServerCall.Listener<Q> delegate) {
            super(delegate);
        }

        synchronized void expire(ServerCall<?, ?> call) {
            if (!received) {
                expired = true;
                call.close(Status.DEADLINE_EXCEEDED.withDescription("request not received in time"), new Metadata());
            }
        }

        /** @return whether the call goes on */
        private synchronized boolean arrived() {
            if (expired) {
                return false;
            }
            received = true;
            Timeout d = deadline;
            if (d != null) {
                d.cancel();
            }
            return true;
        }

        private synchronized boolean live() {
            return !expired;
        }

        @Override
        public void onMessage(Q message) {
            if (live()) {
                super.onMessage(message);
            }
        }

        @Override
        public void onHalfClose() {
            if (arrived()) {
                super.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            arrived();
            super.onCancel();
        }

        @Override
        public void onComplete() {
            arrived();
            super.onComplete();
        }
    }
}
