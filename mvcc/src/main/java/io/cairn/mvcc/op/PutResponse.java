package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyValue;

/**
 * etcd's {@code PutResponse}.
 *
 * @param revision the revision of the put
 * @param prevKv the key-value before the put when {@code prev_kv} was asked and the key existed, else null
 */
public record PutResponse(long revision, KeyValue prevKv) implements ResponseOp {
}
