package io.cairn.mvcc.op;

import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.MvccException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Applies etcd's KV requests to a {@link KvStore} exactly like etcd 3.5's applier (server/etcdserver/apply.go
 * {@code Range}, {@code Put}, {@code DeleteRange}, {@code Txn}). Requests are assumed to have passed
 * {@link RequestChecks} when the server received them (etcd's v3rpc layer, before raft); apply does not repeat
 * those checks, because their limits are member configuration and apply must be identical on every member.
 *
 * <p>Failures are {@link MvccException}s thrown before anything is written: the request fails and the revision
 * does not move (a write transaction closed empty still saves the consistent index, as etcd does for every
 * applied entry). A transaction's writes share one store write transaction, so one revision; a transaction whose
 * branches hold only ranges runs on a read view and never takes the write lock. An exception of any other type
 * out of a write transaction means a broken invariant after some writes were made: like etcd's panic there, the
 * member must stop.
 *
 * <p>Thread-safe as the store is: ranges and read-only transactions run concurrently with one writer. Lease
 * existence comes from {@code leaseExists}, asked before a put takes the store's write lock and, for a
 * transaction, while holding it: the lessor must answer without waiting for the store.
 */
public final class KvOps {
    private final KvStore store;
    private final LongPredicate leaseExists;

    /**
     * @param leaseExists whether a lease id is currently granted (etcd's {@code lessor.Lookup(id) != nil}), e.g.
     *     {@code id -> lessor.lookup(id).isPresent()}
     */
    public KvOps(KvStore store, LongPredicate leaseExists) {
        this.store = store;
        this.leaseExists = leaseExists;
    }

    /**
     * etcd's {@code Range} on a fresh read view.
     *
     * @throws MvccException.FutureRevision for a revision above the current one
     * @throws MvccException.Compacted for a revision below the compacted one
     */
    public RangeResponse range(RangeRequest r) {
        try (KvRead view = store.read()) {
            return Ranges.execute(view, r);
        }
    }

    /**
     * etcd's {@code Put} in its own write transaction.
     *
     * @throws MvccException.LeaseNotFound when the lease is not 0 and not granted
     * @throws MvccException.KeyNotFound with ignore_value or ignore_lease on a missing key
     */
    public PutResponse put(PutRequest r) {
        if (r.lease() != 0 && !leaseExists.test(r.lease())) {
            throw new MvccException.LeaseNotFound(r.lease());
        }
        try (KvWrite txn = store.write()) {
            return Writes.put(txn, r);
        }
    }

    /** etcd's {@code DeleteRange} in its own write transaction; deleting nothing keeps the revision. */
    public DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        try (KvWrite txn = store.write()) {
            return Writes.deleteRange(txn, r);
        }
    }

    /**
     * etcd's {@code Txn}: evaluates every compare on the path (nested ones too) on one view, runs the
     * {@link TxnChecks}, then the operations of the branches taken. The response revision is the write revision
     * when anything changed, else the view's revision.
     *
     * @throws MvccException when a check fails ({@link MvccException.KeyNotFound},
     *     {@link MvccException.LeaseNotFound}, {@link MvccException.FutureRevision}, {@link MvccException.Compacted});
     *     nothing was written then
     */
    public TxnResponse txn(TxnRequest r) {
        if (r.isReadOnly()) {
            try (KvRead view = store.read()) {
                TxnPath path = TxnPath.evaluate(view, r);
                new TxnChecks(view, leaseExists, store.compactedRevision()).run(r, path, false);
                return withRevision(apply(view, null, r, path), view.revision());
            }
        }
        try (KvWrite txn = store.write()) {
            TxnPath path = TxnPath.evaluate(txn, r);
            new TxnChecks(txn, leaseExists, store.compactedRevision()).run(r, path, true);
            TxnResponse resp;
            try {
                resp = apply(txn, txn, r, path);
            } catch (RuntimeException e) {
                throw new IllegalStateException("mvcc: unexpected error during txn with writes: " + e, e);
            }
            return withRevision(resp, txn.changes().isEmpty() ? txn.revision() : txn.revision() + 1);
        }
    }

    private static TxnResponse withRevision(TxnResponse resp, long rev) {
        return new TxnResponse(rev, resp.succeeded(), resp.responses());
    }

    /** Runs the branch of {@code r} that {@code path} takes; {@code write} is null for read-only transactions. */
    private static TxnResponse apply(KvRead view, KvWrite write, TxnRequest r, TxnPath path) {
        List<RequestOp> ops = path.ops(r);
        Iterator<TxnPath> nested = path.nested().iterator();
        List<ResponseOp> responses = new ArrayList<>(ops.size());
        for (RequestOp op : ops) {
            if (op instanceof RangeRequest q) {
                responses.add(Ranges.execute(view, q));
            } else if (op instanceof PutRequest p) {
                responses.add(Writes.put(write, p));
            } else if (op instanceof DeleteRangeRequest d) {
                responses.add(Writes.deleteRange(write, d));
            } else if (op instanceof TxnRequest t) {
                responses.add(apply(view, write, t, nested.next()));
            } else {
                throw new IllegalStateException("empty request op passed the txn checks");
            }
        }
        return new TxnResponse(0, path.succeeded(), responses);
    }
}
