package io.cairn.server.concurrency;

import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.v3lockpb.LockResponse;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RangeResponse;
import io.cairn.mvcc.op.TxnResponse;
import io.cairn.server.rpc.UnknownCodeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One {@code Lock} call (etcd's clientv3 {@code concurrency.Mutex} as v3lock uses it): the waiter's key is
 * {@code <name>/<lease in hex>}, created with the lease in one transaction that also reads the oldest key under
 * {@code <name>/}; the oldest key holds the lock. A waiter that is not the oldest waits until every key under the
 * prefix created before its own is deleted ({@link MemberKv#waitDeletes}), then checks that its own key still
 * exists ("mutex: session is expired" otherwise). If the wait fails or the client gives up, its key is deleted.
 * A key that already exists (same name and lease) is reused, as etcd does.
 */
final class Mutex {
    /** etcd's ErrSessionExpired text. */
    static final String SESSION_EXPIRED = "mutex: session is expired";

    private final MemberKv kv;
    private final byte[] prefix;
    private final byte[] myKey;
    private final long lease;
    private final Cancellation cancel;

    Mutex(MemberKv kv, byte[] name, long lease, Cancellation cancel) {
        this.kv = kv;
        this.prefix = concat(name, "/".getBytes(StandardCharsets.UTF_8));
        this.myKey = concat(prefix, MemberKv.hex(lease).getBytes(StandardCharsets.UTF_8));
        this.lease = lease;
        this.cancel = cancel;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Completes once the lock is held, with the header of the acquiring read and the key. */
    CompletableFuture<LockResponse> lock() {
        RangeRequest owner = MemberKv.firstCreated(prefix);
        TxnRequest tryAcquire = TxnRequest.newBuilder()
            .addCompare(MemberKv.createRevisionIs(myKey, 0))
            .addSuccess(MemberKv.putOp(myKey, new byte[0], lease)).addSuccess(MemberKv.rangeOp(owner))
            .addFailure(MemberKv.rangeOp(RangeRequest.of(myKey))).addFailure(MemberKv.rangeOp(owner))
            .build();
        return kv.txn(tryAcquire).thenCompose(this::acquired);
    }

    private CompletableFuture<LockResponse> acquired(TxnResponse resp) {
        long myRev = resp.succeeded() ? resp.revision()
            : ((RangeResponse) resp.responses().get(0)).kvs().get(0).createRevision();
        List<KeyValue> holder = ((RangeResponse) resp.responses().get(1)).kvs();
        if (holder.isEmpty() || holder.get(0).createRevision() == myRev) {
            return CompletableFuture.completedFuture(response(resp.revision()));
        }
        return kv.waitDeletes(prefix, myRev - 1, cancel)
            .thenCompose(x -> kv.range(RangeRequest.of(myKey)))
            .handle((mine, err) -> {
                if (err != null) {
                    kv.delete(myKey); // release our place in line, as etcd's Unlock after a failed wait
                    throw err instanceof CompletionException c ? c : new CompletionException(err);
                }
                if (mine.kvs().isEmpty()) {
                    throw new UnknownCodeException(SESSION_EXPIRED);
                }
                return response(mine.revision());
            });
    }

    private LockResponse response(long revision) {
        return LockResponse.newBuilder().setHeader(kv.header(revision))
            .setKey(com.google.protobuf.ByteString.copyFrom(myKey)).build();
    }
}
