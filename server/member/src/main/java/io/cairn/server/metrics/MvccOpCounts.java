package io.cairn.server.metrics;

import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RequestOp;
import io.cairn.mvcc.op.ResponseOp;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.mvcc.op.TxnResponse;
import java.util.List;

/**
 * How many store operations etcd 3.5 counts for a request that was applied (mvcc/metrics_txn.go): every range, put
 * and delete-range call on a store transaction counts once, and a store transaction with more than one call counts
 * one txn. The store transactions are the ones etcd's applier opens:
 * <ul>
 *   <li>Range: one read with one range.</li>
 *   <li>Put: one write with the put, plus a range first when it asks for the previous pair or ignores the value
 *       or lease; DeleteRange likewise with {@code prev_kv}.</li>
 *   <li>Txn: a read view that evaluates every compare on the path taken (one range each, nested ones too). A
 *       read-only txn runs its ranges on that same view; a writing one checks its puts that ignore the value or
 *       lease on the view (one range each), ends it, and runs its branch on one write (nested branches included).</li>
 * </ul>
 * Requests that fail are not counted (etcd counts the calls made before the failure). Immutable.
 *
 * @param ranges range calls
 * @param puts put calls
 * @param deletes delete-range calls
 * @param txns store transactions with more than one call
 */
public record MvccOpCounts(int ranges, int puts, int deletes, int txns) {
    private static final MvccOpCounts NONE = new MvccOpCounts(0, 0, 0, 0);

    public static MvccOpCounts range(RangeRequest r) {
        return new MvccOpCounts(1, 0, 0, 0).closeStoreTxn();
    }

    public static MvccOpCounts put(PutRequest p) {
        return putOp(p).closeStoreTxn();
    }

    public static MvccOpCounts deleteRange(DeleteRangeRequest d) {
        return deleteOp(d).closeStoreTxn();
    }

    /** @param resp the response of {@code r}: which branch ran, and the nested responses along it */
    public static MvccOpCounts txn(TxnRequest r, TxnResponse resp) {
        MvccOpCounts view = new MvccOpCounts(comparesOnPath(r, resp), 0, 0, 0);
        MvccOpCounts branch = branchOps(r, resp);
        if (r.isReadOnly()) {
            return view.plus(branch).closeStoreTxn();
        }
        MvccOpCounts checks = new MvccOpCounts(ignoringPutsOnPath(r, resp), 0, 0, 0);
        return view.plus(checks).closeStoreTxn().plus(branch.closeStoreTxn());
    }

    private static MvccOpCounts putOp(PutRequest p) {
        boolean readsPrevious = p.prevKv() || p.ignoreValue() || p.ignoreLease();
        return new MvccOpCounts(readsPrevious ? 1 : 0, 1, 0, 0);
    }

    private static MvccOpCounts deleteOp(DeleteRangeRequest d) {
        return new MvccOpCounts(d.prevKv() ? 1 : 0, 0, 1, 0);
    }

    private static List<RequestOp> taken(TxnRequest r, TxnResponse resp) {
        return resp.succeeded() ? r.success() : r.failure();
    }

    private static int comparesOnPath(TxnRequest r, TxnResponse resp) {
        int n = r.compares().size();
        List<RequestOp> ops = taken(r, resp);
        for (int i = 0; i < ops.size() && i < resp.responses().size(); i++) {
            if (ops.get(i) instanceof TxnRequest nested && resp.responses().get(i) instanceof TxnResponse nr) {
                n += comparesOnPath(nested, nr);
            }
        }
        return n;
    }

    private static int ignoringPutsOnPath(TxnRequest r, TxnResponse resp) {
        int n = 0;
        List<RequestOp> ops = taken(r, resp);
        for (int i = 0; i < ops.size() && i < resp.responses().size(); i++) {
            RequestOp op = ops.get(i);
            if (op instanceof PutRequest p && (p.ignoreValue() || p.ignoreLease())) {
                n++;
            } else if (op instanceof TxnRequest nested && resp.responses().get(i) instanceof TxnResponse nr) {
                n += ignoringPutsOnPath(nested, nr);
            }
        }
        return n;
    }

    private static MvccOpCounts branchOps(TxnRequest r, TxnResponse resp) {
        MvccOpCounts sum = NONE;
        List<RequestOp> ops = taken(r, resp);
        List<ResponseOp> responses = resp.responses();
        for (int i = 0; i < ops.size() && i < responses.size(); i++) {
            RequestOp op = ops.get(i);
            if (op instanceof RangeRequest) {
                sum = sum.plus(new MvccOpCounts(1, 0, 0, 0));
            } else if (op instanceof PutRequest p) {
                sum = sum.plus(putOp(p));
            } else if (op instanceof DeleteRangeRequest d) {
                sum = sum.plus(deleteOp(d));
            } else if (op instanceof TxnRequest nested && responses.get(i) instanceof TxnResponse nr) {
                sum = sum.plus(branchOps(nested, nr));
            }
        }
        return sum;
    }

    /** These counts with one more txn when they are one store transaction of more than one call. */
    private MvccOpCounts closeStoreTxn() {
        int calls = ranges + puts + deletes;
        return calls > 1 ? new MvccOpCounts(ranges, puts, deletes, txns + 1) : this;
    }

    MvccOpCounts plus(MvccOpCounts o) {
        return new MvccOpCounts(ranges + o.ranges, puts + o.puts, deletes + o.deletes, txns + o.txns);
    }
}
