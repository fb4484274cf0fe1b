package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyValue;
import java.util.List;

/**
 * etcd's {@code RangeResponse}.
 *
 * @param revision the store's revision when the read began (not the revision read at), as etcd reports it
 * @param kvs the key-values, at most the request's limit; empty for {@code count_only}
 * @param more whether more key-values than the limit remained after filtering
 * @param count the number of keys in the range at the read revision, before the revision filters
 */
public record RangeResponse(long revision, List<KeyValue> kvs, boolean more, long count) implements ResponseOp {
    public RangeResponse {
        kvs = List.copyOf(kvs);
    }
}
