package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyValue;
import java.util.List;

/**
 * etcd's {@code DeleteRangeResponse}.
 *
 * @param revision the revision of the delete; the current revision when nothing was deleted (and nothing else in
 *     the same transaction changed)
 * @param deleted number of keys deleted
 * @param prevKvs the deleted key-values when {@code prev_kv} was asked, else empty
 */
public record DeleteRangeResponse(long revision, long deleted, List<KeyValue> prevKvs) implements ResponseOp {
    public DeleteRangeResponse {
        prevKvs = List.copyOf(prevKvs);
    }
}
