package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.RangeOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The checks a transaction passes on its view before its first write, over the operations of the path taken, in
 * execution order (nested transactions inline). The first two passes are etcd's (apply.go {@code Txn}, 3.5):
 * <ol>
 *   <li>every put (write transactions only): with ignore_value or ignore_lease the key must exist in the view
 *       ({@link MvccException.KeyNotFound}); a lease other than 0 must exist ({@link MvccException.LeaseNotFound});
 *   </li>
 *   <li>every range: a revision above the view's is {@link MvccException.FutureRevision}, one below the compacted
 *       revision {@link MvccException.Compacted} (0 and, before any compaction, negatives pass);</li>
 *   <li>Cairn only: an ignore_value/ignore_lease put whose key an earlier delete of the same transaction removed
 *       is {@link MvccException.KeyNotFound}. etcd's duplicate-key check misses from-key deletes
 *       ({@code range_end "\0"}), so etcd accepts such a transaction and then panics applying it; here it fails
 *       before writing anything.</li>
 * </ol>
 * An {@link RequestOp.Empty} operation fails the first pass with {@link MvccException.KeyNotFound}.
 */
final class TxnChecks {
    private final KvRead view;
    private final LongPredicate leaseExists;
    private final long compactedRev;

    /** One write of the transaction, in execution order. */
    private record Write(KeyRange range, boolean put) {
    }

    TxnChecks(KvRead view, LongPredicate leaseExists, long compactedRev) {
        this.view = view;
        this.leaseExists = leaseExists;
        this.compactedRev = compactedRev;
    }

    void run(TxnRequest r, TxnPath path, boolean write) {
        if (write) {
            forEachOp(r, path, this::checkPut);
        }
        forEachOp(r, path, this::checkRange);
        if (write) {
            List<Write> writes = new ArrayList<>();
            forEachOp(r, path, op -> checkStillLive(op, writes));
        }
    }

    /** Visits the operations of the path in execution order, nested transactions' operations in place. */
    private static void forEachOp(TxnRequest r, TxnPath path, Consumer<RequestOp> visitor) {
        Iterator<TxnPath> nested = path.nested().iterator();
        for (RequestOp op : path.ops(r)) {
            if (op instanceof TxnRequest t) {
                forEachOp(t, nested.next(), visitor);
            } else {
                visitor.accept(op);
            }
        }
    }

    private void checkPut(RequestOp op) {
        if (op instanceof RequestOp.Empty) {
            throw new MvccException.KeyNotFound();
        }
        if (!(op instanceof PutRequest p)) {
            return;
        }
        if (p.ignoreValue() || p.ignoreLease()) {
            if (view.range(KeyRange.single(p.key()), RangeOptions.LATEST).kvs().isEmpty()) {
                throw new MvccException.KeyNotFound();
            }
        }
        if (p.lease() != 0 && !leaseExists.test(p.lease())) {
            throw new MvccException.LeaseNotFound(p.lease());
        }
    }

    private void checkRange(RequestOp op) {
        if (!(op instanceof RangeRequest q) || q.revision() == 0) {
            return;
        }
        if (q.revision() > view.revision()) {
            throw new MvccException.FutureRevision(q.revision(), view.revision());
        }
        if (q.revision() < compactedRev) {
            throw new MvccException.Compacted(q.revision(), compactedRev);
        }
    }

    private static void checkStillLive(RequestOp op, List<Write> writes) {
        if (op instanceof DeleteRangeRequest d) {
            writes.add(new Write(d.keyRange(), false));
        } else if (op instanceof PutRequest p) {
            if ((p.ignoreValue() || p.ignoreLease()) && deletedBefore(p.key(), writes)) {
                throw new MvccException.KeyNotFound();
            }
            writes.add(new Write(KeyRange.single(p.key()), true));
        }
    }

    /** True when the latest earlier write touching {@code key} is a delete. */
    private static boolean deletedBefore(byte[] key, List<Write> writes) {
        for (int i = writes.size() - 1; i >= 0; i--) {
            Write w = writes.get(i);
            if (w.range().contains(key)) {
                return !w.put();
            }
        }
        return false;
    }
}
