package io.cairn.mvcc.op;

/**
 * The result of one {@link RequestOp} (etcd's {@code ResponseOp}). Each carries the revision of its response
 * header; the server adds cluster id, member id and raft term to top-level responses only, as etcd does.
 */
public sealed interface ResponseOp permits RangeResponse, PutResponse, DeleteRangeResponse, TxnResponse {

    /** The response header's revision. */
    long revision();
}
