package io.cairn.server.rpc;

import io.cairn.server.Member;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link TokenIndexWait} for grpc-java's server: a call whose simple token was issued by an Authenticate entry this
 * member has not applied yet starts once it has (or after {@code timeout}, when the token is resolved as it
 * stands). Until then the call's events are held in order and replayed to the started call; every other call
 * starts at once.
 */
public final class TokenIndexWaitInterceptor implements ServerInterceptor {
    private final Member member;
    private final Duration timeout;

    public TokenIndexWaitInterceptor(Member member, Duration timeout) {
        this.member = member;
        this.timeout = timeout;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
        CompletableFuture<Void> applied = TokenIndexWait.applied(member, Callers.of(headers), timeout);
        if (applied == null) {
            return next.startCall(call, headers);
        }
        Delayed<Q> delayed = new Delayed<>();
        applied.whenComplete((x, err) -> delayed.start(() -> next.startCall(call, headers)));
        return delayed;
    }

    /** Holds a call's listener events until the call starts, then passes them (and all later ones) on. */
    private static final class Delayed<Q> extends ServerCall.Listener<Q> {
        private List<Consumer<ServerCall.Listener<Q>>> held = new ArrayList<>();
        private ServerCall.Listener<Q> delegate;
        private boolean cancelled;

        synchronized void start(Supplier<ServerCall.Listener<Q>> starter) {
            if (cancelled) {
                return; // the client gave up while it waited: nothing to start
            }
            delegate = starter.get();
            held.forEach(e -> e.accept(delegate));
            held = null;
        }

        private synchronized void on(Consumer<ServerCall.Listener<Q>> event) {
            if (delegate != null) {
                event.accept(delegate);
            } else {
                held.add(event);
            }
        }

        @Override
        public void onMessage(Q message) {
            on(l -> l.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            on(ServerCall.Listener::onHalfClose);
        }

        @Override
        public synchronized void onCancel() {
            if (delegate == null) {
                cancelled = true;
            }
            on(ServerCall.Listener::onCancel);
        }

        @Override
        public void onComplete() {
            on(ServerCall.Listener::onComplete);
        }

        @Override
        public void onReady() {
            on(ServerCall.Listener::onReady);
        }
    }
}
