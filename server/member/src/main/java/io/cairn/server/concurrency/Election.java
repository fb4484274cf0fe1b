package io.cairn.server.concurrency;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.v3electionpb.CampaignResponse;
import io.cairn.api.v3electionpb.LeaderKey;
import io.cairn.api.v3electionpb.LeaderResponse;
import io.cairn.api.v3electionpb.ProclaimResponse;
import io.cairn.api.v3electionpb.ResignResponse;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RangeResponse;
import io.cairn.mvcc.op.TxnResponse;
import io.cairn.server.rpc.KvCodec;
import io.cairn.server.rpc.UnknownCodeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * etcd's election recipe (clientv3 {@code concurrency.Election} as v3election uses it). A candidate's key is
 * {@code <name>/<lease in hex>}, created with its lease and value; the candidate whose key was created first
 * leads. Campaign waits until every older key under {@code <name>/} is deleted; the leader changes its value with
 * Proclaim and steps down with Resign, both guarded by the key's create revision; Leader reads the oldest key.
 * The texts of etcd's errors ("election: not leader", "election: no leader") are what clients match on.
 */
final class Election {
    /** etcd's ErrElectionNotLeader text. */
    static final String NOT_LEADER = "election: not leader";
    /** etcd's ErrElectionNoLeader text. */
    static final String NO_LEADER = "election: no leader";

    private final MemberKv kv;

    Election(MemberKv kv) {
        this.kv = kv;
    }

    /** The KV this election acts through (as its caller). */
    MemberKv kv() {
        return kv;
    }

    static byte[] prefix(ByteString name) {
        return Mutex.concat(name.toByteArray(), "/".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Campaigns with {@code lease} and {@code value}; completes when leading, with the campaign transaction's
     * header. A candidate already in line (same key) keeps its place and proclaims the new value. When the wait
     * fails because the client gave up, the candidacy is withdrawn.
     */
    CompletableFuture<CampaignResponse> campaign(ByteString name, long lease, ByteString value, Cancellation cancel) {
        byte[] key = Mutex.concat(prefix(name), MemberKv.hex(lease).getBytes(StandardCharsets.UTF_8));
        TxnRequest txn = TxnRequest.newBuilder()
            .addCompare(MemberKv.createRevisionIs(key, 0))
            .addSuccess(MemberKv.putOp(key, value.toByteArray(), lease))
            .addFailure(MemberKv.rangeOp(RangeRequest.of(key)))
            .build();
        return kv.txn(txn).thenCompose(resp -> {
            LeaderKey leader = LeaderKey.newBuilder().setName(name).setKey(ByteString.copyFrom(key))
                .setRev(resp.revision()).setLease(lease).build();
            CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
            if (!resp.succeeded()) {
                KeyValue mine = ((RangeResponse) resp.responses().get(0)).kvs().get(0);
                leader = leader.toBuilder().setRev(mine.createRevision()).build();
                if (!Arrays.equals(mine.value(), value.toByteArray())) {
                    LeaderKey held = leader;
                    ready = proclaim(held, value).handle((r, err) -> {
                        if (err != null) {
                            resign(held);
                            throw err instanceof CompletionException c ? c : new CompletionException(err);
                        }
                        return null;
                    });
                }
            }
            LeaderKey held = leader;
            return ready.thenCompose(x -> kv.waitDeletes(prefix(name), held.getRev() - 1, cancel))
                .handle((x, err) -> {
                    if (err != null) {
                        if (cancel.isCanceled()) {
                            resign(held);
                        }
                        throw err instanceof CompletionException c ? c : new CompletionException(err);
                    }
                    return CampaignResponse.newBuilder().setHeader(kv.header(resp.revision())).setLeader(held)
                        .build();
                });
        });
    }

    /**
     * Replaces the leader's value if {@code leader} still holds its key (its create revision is unchanged);
     * "election: not leader" otherwise.
     */
    CompletableFuture<ProclaimResponse> proclaim(LeaderKey leader, ByteString value) {
        byte[] key = leader.getKey().toByteArray();
        // etcd's session: lease 0 grants a new lease, which the value is then put with
        return kv.session(leader.getLease())
            .thenCompose(lease -> kv.txn(TxnRequest.newBuilder()
                .addCompare(MemberKv.createRevisionIs(key, leader.getRev()))
                .addSuccess(MemberKv.putOp(key, value.toByteArray(), lease))
                .build()))
            .thenApply(resp -> {
                if (!resp.succeeded()) {
                    throw new UnknownCodeException(NOT_LEADER);
                }
                return ProclaimResponse.newBuilder().setHeader(kv.header(resp.revision())).build();
            });
    }

    /** Deletes the leader's key if it is still the one {@code leader} created; no error when it is not. */
    CompletableFuture<ResignResponse> resign(LeaderKey leader) {
        byte[] key = leader.getKey().toByteArray();
        TxnRequest txn = TxnRequest.newBuilder()
            .addCompare(MemberKv.createRevisionIs(key, leader.getRev()))
            .addSuccess(MemberKv.deleteOp(key))
            .build();
        return kv.txn(txn).thenApply((TxnResponse resp) ->
            ResignResponse.newBuilder().setHeader(kv.header(resp.revision())).build());
    }

    /** The oldest candidate's key-value; "election: no leader" when there is none. */
    CompletableFuture<LeaderResponse> leader(ByteString name) {
        return kv.range(MemberKv.firstCreated(prefix(name))).thenApply(r -> {
            if (r.kvs().isEmpty()) {
                throw new UnknownCodeException(NO_LEADER);
            }
            return LeaderResponse.newBuilder().setHeader(kv.header(r.revision()))
                .setKv(KvCodec.keyValue(r.kvs().get(0))).build();
        });
    }
}
