package io.cairn.mvcc.op;

import io.cairn.mvcc.KvRead;
import java.util.ArrayList;
import java.util.List;

/**
 * Which branch a transaction and each nested transaction on it takes (etcd's {@code txnPath}, as a tree). Every
 * compare, nested ones included, is evaluated on the view before any operation runs, as etcd does: a nested
 * compare never sees the writes of the operations before it.
 *
 * @param succeeded whether this transaction's compares held
 * @param nested the paths of the nested transactions in the branch taken, in order
 */
record TxnPath(boolean succeeded, List<TxnPath> nested) {

    static TxnPath evaluate(KvRead view, TxnRequest r) {
        boolean ok = Compares.all(view, r.compares());
        List<TxnPath> nested = new ArrayList<>();
        for (RequestOp op : ok ? r.success() : r.failure()) {
            if (op instanceof TxnRequest t) {
                nested.add(evaluate(view, t));
            }
        }
        return new TxnPath(ok, List.copyOf(nested));
    }

    /** The operations of {@code r} on this path. */
    List<RequestOp> ops(TxnRequest r) {
        return succeeded ? r.success() : r.failure();
    }
}
