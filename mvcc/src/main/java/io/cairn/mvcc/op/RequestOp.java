package io.cairn.mvcc.op;

/**
 * One operation of a transaction branch (etcd's {@code RequestOp}): a range, a put, a delete range or a nested
 * transaction. {@link Empty} is a {@code RequestOp} whose request is unset, which etcd refuses with
 * "etcdserver: key not found".
 */
public sealed interface RequestOp permits RangeRequest, PutRequest, DeleteRangeRequest, TxnRequest, RequestOp.Empty {

    /** A {@code RequestOp} with no request set; {@link RequestChecks} refuses it and so does apply. */
    record Empty() implements RequestOp {
        public static final Empty INSTANCE = new Empty();
    }
}
