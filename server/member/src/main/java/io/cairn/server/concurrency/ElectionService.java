package io.cairn.server.concurrency;

import io.cairn.api.v3electionpb.CampaignRequest;
import io.cairn.api.v3electionpb.CampaignResponse;
import io.cairn.api.v3electionpb.ElectionGrpc;
import io.cairn.api.v3electionpb.LeaderRequest;
import io.cairn.api.v3electionpb.LeaderResponse;
import io.cairn.api.v3electionpb.ProclaimRequest;
import io.cairn.api.v3electionpb.ProclaimResponse;
import io.cairn.api.v3electionpb.ResignRequest;
import io.cairn.api.v3electionpb.ResignResponse;
import io.cairn.server.rpc.ErrorTable;
import io.cairn.server.rpc.Replies;
import io.cairn.server.rpc.UnknownCodeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's {@code v3electionpb.Election} service (v3election/election.go) in the server, over the {@link Election}
 * recipe: Campaign (a lease of 0 makes the session grant a fresh 60 s lease, as etcd's does), Proclaim, Leader,
 * Resign, and the server-streaming Observe ({@link LeaderObserver}). Proclaim and Resign without a leader key
 * fail with etcd's {@code "leader" field must be provided}; election errors carry etcd's texts with code Unknown.
 */
public final class ElectionService extends ElectionGrpc.ElectionImplBase {
    /** etcd's ErrMissingLeaderKey text. */
    static final String MISSING_LEADER_KEY = "\"leader\" field must be provided";

    private final MemberKv kv;

    public ElectionService(MemberKv kv) {
        this.kv = kv;
    }

    /** The election recipes acting as the current request's caller. */
    private Election election() {
        return new Election(kv.asCaller());
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> out) {
        Cancellation cancel = LockService.cancellation(out);
        Replies.later(out, () -> {
            Election election = election();
            return election.kv().session(request.getLease()).thenCompose(lease ->
                election.campaign(request.getName(), lease, request.getValue(), cancel));
        }, r -> r);
    }

    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> out) {
        Replies.later(out, () -> request.hasLeader() ? election().proclaim(request.getLeader(), request.getValue())
            : missingLeader(), r -> r);
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        Replies.later(out, () -> election().leader(request.getName()), r -> r);
    }

    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        observe(request, out, LockService.cancellation(out));
    }

    /** Observe for the JSON gateway: the stream ends when {@code clientGone} completes. */
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out,
        CompletableFuture<Void> clientGone) {
        Cancellation cancel = new Cancellation();
        clientGone.thenRun(cancel::cancel);
        observe(request, out, cancel);
    }

    /** Observes as the caller (its permissions apply to the election's keys) until {@code cancel}. */
    private void observe(LeaderRequest request, StreamObserver<LeaderResponse> out, Cancellation cancel) {
        MemberKv caller;
        try {
            caller = kv.asCaller();
        } catch (RuntimeException e) {
            out.onError(ErrorTable.toStatus(e).asRuntimeException());
            return;
        }
        new LeaderObserver(caller, Election.prefix(request.getName()), out, cancel).start();
    }

    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> out) {
        Replies.later(out, () -> request.hasLeader() ? election().resign(request.getLeader()) : missingLeader(),
            r -> r);
    }

    private static <T> CompletableFuture<T> missingLeader() {
        return CompletableFuture.failedFuture(new UnknownCodeException(MISSING_LEADER_KEY));
    }
}
