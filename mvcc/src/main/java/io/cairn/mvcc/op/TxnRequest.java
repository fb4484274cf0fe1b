package io.cairn.mvcc.op;

import java.util.List;

/**
 * etcd's {@code TxnRequest}: if every compare holds, the success operations run, else the failure operations;
 * either way in one store write transaction (one revision). Lists are copied; null lists become empty.
 */
public record TxnRequest(List<Compare> compares, List<RequestOp> success, List<RequestOp> failure)
    implements RequestOp {

    public TxnRequest {
        compares = compares == null ? List.of() : List.copyOf(compares);
        success = success == null ? List.of() : List.copyOf(success);
        failure = failure == null ? List.of() : List.copyOf(failure);
    }

    /** No compares: {@code ops} always run. */
    public static TxnRequest of(RequestOp... ops) {
        return new TxnRequest(List.of(), List.of(ops), List.of());
    }

    /** True when every operation of both branches is a range (nested transactions count as writes, like etcd). */
    public boolean isReadOnly() {
        for (RequestOp op : success) {
            if (!(op instanceof RangeRequest)) {
                return false;
            }
        }
        for (RequestOp op : failure) {
            if (!(op instanceof RangeRequest)) {
                return false;
            }
        }
        return true;
    }
}
