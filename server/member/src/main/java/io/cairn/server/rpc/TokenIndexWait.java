package io.cairn.server.rpc;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import io.cairn.server.Member;
import io.cairn.server.auth.Credentials;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds a request back until this member has applied the Authenticate entry of the simple token it carries
 * (etcd's {@code indexWaiter}): a client that authenticated on one member and calls another may be quicker than
 * the entry's apply there. Bounded by {@code timeout}; after it, the token is resolved as it stands (and is then
 * "invalid auth token"). Every other request passes at once.
 */
public final class TokenIndexWait extends SimpleDecoratingHttpService {
    private final Member member;
    private final Duration timeout;

    public TokenIndexWait(HttpService delegate, Member member, Duration timeout) {
        super(delegate);
        this.member = member;
        this.timeout = timeout;
    }

    /**
     * Completes when this member has applied the Authenticate entry of the token in {@code credentials}, or after
     * {@code timeout} (exceptionally); null when there is nothing to wait for. For both transports.
     */
    static CompletableFuture<Void> applied(Member member, Credentials credentials, Duration timeout) {
        OptionalLong index = member.auth().pendingTokenIndex(credentials, member.appliedIndex());
        return index.isEmpty() ? null : member.applier().applied().await(index.getAsLong())
            .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        CompletableFuture<Void> applied = applied(member, Callers.of(ctx), timeout);
        if (applied == null) {
            return unwrap().serve(ctx, req);
        }
        return HttpResponse.of(applied
            .handleAsync((x, err) -> {
                try (SafeCloseable current = ctx.push()) {
                    return unwrap().serve(ctx, req);
                } catch (Exception e) {
                    return HttpResponse.ofFailure(e);
                }
            }, ctx.eventLoop()));
    }
}
