package io.cairn.server.rpc;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseLeasesResponse;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeResponse;
import io.cairn.api.etcdserverpb.LeaseStatus;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.lease.LeaseTimeToLive;
import io.cairn.mvcc.quota.QuotaCost;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.raft.StateRole;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.server.PeerCall;
import io.cairn.server.Member;
import io.cairn.server.auth.AccessChecks;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthException;
import io.cairn.server.auth.AuthInfo;
import io.cairn.server.auth.Credentials;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd's {@code Lease} service (v3rpc/lease.go over v3_server.go). Grant and revoke are proposed to raft and
 * answered when applied (the grant admitted by the quota first, its ID drawn here when the client names none, so
 * every member applies the same one). Keep-alive, TimeToLive and Leases are answered by this member's lessor
 * without raft: keep-alive and TimeToLive only on the leader, whose lessor is the primary, after waiting (at most
 * {@link #APPLY_TIMEOUT}) until everything committed is applied, as etcd's {@code waitAppliedIndex} does.
 *
 * <p>Answers as etcd: a keep-alive or TimeToLive for an unknown (or expired) lease is not an error but TTL 0,
 * respectively TTL -1; the keep-alive header is taken before the renew. A follower forwards keep-alives and
 * TimeToLive to the leader over the peer transport, as etcd forwards them over its peer URLs ("etcdserver: no
 * leader" while there is none).
 *
 * <p>With authentication on (etcd 3.6's lease checks, stricter than 3.4's): every call needs a user; revoke and
 * keep-alive need WRITE on every key attached to the lease, TimeToLive with keys and Leases need READ on them
 * (role root may do all); the keep-alive is checked on the member the client talks to, before forwarding.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    /** etcd's applyTimeout: how long keep-alive and TimeToLive wait for the applied index. */
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(1);
    /** etcd's ErrTimeoutWaitAppliedIndex text. */
    static final String APPLY_TIMEOUT_MESSAGE = "etcdserver: timeout waiting for applied index";

    private final Member member;

    public LeaseService(Member member) {
        this.member = member;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
        Replies.later(out, () -> grant(request, caller()), r -> r);
    }

    /**
     * Admits, draws an ID when none is given, proposes as {@code caller}; completes with the applied grant's
     * answer. With authentication on, the caller must be a user (etcd's {@code requireAuthInfo}).
     */
    public CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request, AuthInfo caller) {
        requireUser(caller);
        Admission.admit(member, RequestKind.LEASE_GRANT, QuotaCost.LEASE_GRANT_BYTES);
        LeaseGrantRequest.Builder b = request.toBuilder();
        if (b.getID() == 0) {
            b.setID(member.nextLeaseId());
        }
        return member.propose(Auth.as(caller, InternalRaftRequest.newBuilder().setLeaseGrant(b)))
            .thenApply(LeaseGrantResponse.class::cast);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
        Replies.later(out, () -> revoke(request, caller()), r -> r);
    }

    /**
     * Proposes the revoke as {@code caller}; completes when the lease and its keys are gone. The applier checks
     * that the caller may write every key attached to the lease.
     */
    public CompletableFuture<LeaseRevokeResponse> revoke(LeaseRevokeRequest request, AuthInfo caller) {
        requireUser(caller);
        return member.propose(Auth.as(caller, InternalRaftRequest.newBuilder().setLeaseRevoke(request)))
            .thenApply(LeaseRevokeResponse.class::cast);
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new KeepAliveStream(this, out, Callers.current());
    }

    /**
     * A keep-alive of the client with {@code credentials} (etcd's {@code checkLeaseRenew}): with authentication
     * on, a user that may write every key attached to the lease, or an admin; then {@link #keepAlive}.
     */
    CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request, Credentials credentials) {
        Auth auth = member.auth();
        if (auth.isEnabled()) {
            AuthInfo caller = auth.identifyOrNone(credentials);
            requireUser(caller);
            auth.checks().checkLeaseKeys(caller, leaseKeys(request.getID()));
        }
        return keepAlive(request);
    }

    /**
     * One keep-alive (etcd's LeaseRenew as the leader answers it): the response carries the header taken before
     * the renew and the granted TTL, or TTL 0 when the lease is unknown or expired.
     */
    public CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
        if (member.raftView().role() == StateRole.LEADER) {
            return keepAliveHere(request);
        }
        ResponseHeader header = member.header(member.store().currentRevision());
        return member.callLeader(PeerCall.LEASE_RENEW, request.toByteArray())
            .thenApply(b -> parse(() -> LeaseKeepAliveResponse.parseFrom(b)).toBuilder().setHeader(header).build());
    }

    /** {@link #keepAlive} as the leader answers it (a forwarded keep-alive lands here). */
    public CompletableFuture<LeaseKeepAliveResponse> keepAliveHere(LeaseKeepAliveRequest request) {
        ResponseHeader header = member.header(member.store().currentRevision());
        return onLeaderWhenApplied().thenApply(x -> {
            long ttl;
            try {
                ttl = member.lessor().renew(request.getID());
            } catch (MvccException.LeaseNotFound e) {
                ttl = 0;
            } catch (MvccException.NotPrimary e) {
                throw notLeader();
            }
            return LeaseKeepAliveResponse.newBuilder().setHeader(header).setID(request.getID()).setTTL(ttl)
                .build();
        });
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
        Replies.later(out, () -> {
            AuthInfo caller = caller();
            requireUser(caller);
            if (request.getKeys() && member.auth().isEnabled()) {
                checkReadable(caller, leaseKeys(request.getID()));
            }
            return timeToLive(request);
        }, r -> r);
    }

    /** etcd's LeaseTimeToLive: answered by the leader, forwarded to it from elsewhere. */
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
        if (member.raftView().role() == StateRole.LEADER) {
            return timeToLiveHere(request);
        }
        return member.callLeader(PeerCall.LEASE_TIME_TO_LIVE, request.toByteArray())
            .thenApply(b -> parse(() -> LeaseTimeToLiveResponse.parseFrom(b)));
    }

    /** {@link #timeToLive} as the leader answers it. */
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLiveHere(LeaseTimeToLiveRequest request) {
        return onLeaderWhenApplied().thenApply(x -> timeToLiveNow(request));
    }

    private interface Parse<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parse<T> p) {
        try {
            return p.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable answer from the leader: " + e.getMessage(), e);
        }
    }

    private LeaseTimeToLiveResponse timeToLiveNow(LeaseTimeToLiveRequest request) {
        LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder().setID(request.getID());
        try {
            LeaseTimeToLive ttl = member.lessor().timeToLive(request.getID(), request.getKeys());
            b.setTTL(ttl.ttlSeconds()).setGrantedTTL(ttl.grantedTtlSeconds());
            ttl.keys().forEach(k -> b.addKeys(com.google.protobuf.ByteString.copyFrom(k)));
        } catch (MvccException.LeaseNotFound e) {
            b.setTTL(-1);
        }
        if (!member.lessor().isPrimary()) {
            // demoted while answering: the remaining TTL may be wrong (etcd's ErrLeaderChanged, retryable)
            throw ErrorTable.EtcdError.LEADER_CHANGED.exception();
        }
        return b.setHeader(member.header(member.store().currentRevision())).build();
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> out) {
        Replies.now(out, () -> {
            AuthInfo caller = caller();
            requireUser(caller);
            List<Long> leases = member.lessor().leases();
            if (member.auth().isEnabled()) {
                for (long id : leases) {
                    checkReadable(caller, leaseKeys(id));
                }
            }
            LeaseLeasesResponse.Builder b = LeaseLeasesResponse.newBuilder();
            for (long id : leases) {
                b.addLeases(LeaseStatus.newBuilder().setID(id));
            }
            return b.setHeader(member.header(member.store().currentRevision())).build();
        });
    }

    private AuthInfo caller() {
        return member.auth().identifyOrNone(Callers.current());
    }

    /** etcd's {@code requireAuthInfo}: with authentication on, a request must name a user. */
    private void requireUser(AuthInfo caller) {
        if (member.auth().isEnabled() && caller.isEmpty()) {
            throw AuthException.Reason.USER_EMPTY.exception();
        }
    }

    /** READ on each of {@code keys}, unless the caller is an admin (etcd's lease TimeToLive/Leases checks). */
    private void checkReadable(AuthInfo caller, List<byte[]> keys) {
        AccessChecks checks = member.auth().checks();
        if (!member.auth().isEnabled() || checks.isAdmin(caller)) {
            return;
        }
        for (byte[] k : keys) {
            checks.checkRead(caller, k, new byte[0]);
        }
    }

    /** The keys attached to lease {@code id} here (every member attaches them as it applies); none if unknown. */
    private List<byte[]> leaseKeys(long id) {
        try {
            return member.lessor().timeToLive(id, true).keys();
        } catch (MvccException.LeaseNotFound e) {
            return List.of();
        }
    }

    /**
     * Completes on the leader once everything committed when called is applied (etcd's waitAppliedIndex, bounded
     * by {@link #APPLY_TIMEOUT}); fails at once elsewhere.
     */
    private CompletableFuture<Void> onLeaderWhenApplied() {
        var view = member.raftView();
        if (view.role() != StateRole.LEADER) {
            return CompletableFuture.failedFuture(notLeader());
        }
        return member.applier().applied().await(view.commitIndex())
            .orTimeout(APPLY_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
            .exceptionallyCompose(err -> {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                return CompletableFuture.failedFuture(cause instanceof TimeoutException
                    ? new UnknownCodeException(APPLY_TIMEOUT_MESSAGE) : cause);
            });
    }

    private RuntimeException notLeader() {
        return member.raftView().hasLeader() ? ErrorTable.EtcdError.NOT_LEADER.exception()
            : ErrorTable.EtcdError.NO_LEADER.exception();
    }
}
