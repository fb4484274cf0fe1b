package io.cairn.mvcc.op;

import java.util.List;

/**
 * etcd's {@code TxnResponse}.
 *
 * @param revision for the top-level transaction: the revision of its writes, or the current revision when it
 *     changed nothing; for a nested transaction 0, because etcd leaves nested response headers empty
 * @param succeeded whether the compares held (the success branch ran)
 * @param responses one response per operation of the branch that ran, in order
 */
public record TxnResponse(long revision, boolean succeeded, List<ResponseOp> responses) implements ResponseOp {
    public TxnResponse {
        responses = List.copyOf(responses);
    }
}
